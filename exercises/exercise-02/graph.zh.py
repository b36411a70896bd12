"""练习 02 — 激活函数、自动求导与动态图。

原文说要加“一个 ReLU 激活函数”，做法却是对输入数据调用
``torch.relu``，后来又在输出层上再放了一个。两处都错了：
ReLU 应该放在层与层之间，最后一层返回原始 logits。
原文还称赞 PyTorch 的动态图，却一张也没有展示。
这两样都由你来写。

请实现下面四个函数。评分时，它们会在随机输入上调用，
在 CPU 上运行（有 CUDA 设备时也在 CUDA 上运行）；
函数值和梯度都与参考答案比较，``torch.autograd.gradcheck``
还会在 float64 下检查你的梯度。

- ``mlp_logits(x, w1, b1, w2, b2)``：只用普通张量运算写出的两层网络。
  ``x`` 为 (N, D)，``w1`` 为 (H, D)，``b1`` 为 (H,)，``w2`` 为 (C, H)，
  ``b2`` 为 (C,)。隐藏层 ``x @ w1.T + b1`` 之后接 ReLU，然后是一个
  输出层，返回形状为 (N, C) 的 logits。
  梯度必须能到达每一个参数：中途不要切断计算图
  （不用 ``.detach()``、``.item()``、``.numpy()``，
  也不用 ``torch.no_grad()``）。
- ``probabilities(logits, multilabel=False)``：各类别的概率。单标签
  问题在*最后*一维（类别维）上做 softmax，logits 达到几千时也要
  保持有限；``multilabel=True`` 时，每个元素各自是一个是/否的概率
  （用 sigmoid）。
- ``gradient(fn, x)``：用自动求导计算标量 ``fn(x)`` 对 ``x`` 的梯度。
  不要改动调用方的 ``x``（既不打开 ``requires_grad``，也不留下
  ``.grad``），用同样的参数调用时，每次都返回同样的结果。
- ``dynamic_depth(x, weight, tol, max_steps)``：动态图。从 ``h = x``
  （形状为 (D,) 的向量）开始，只要 ``h`` 的欧几里得范数大于 ``tol``，
  就执行 ``h = tanh(weight @ h)``，最多执行 ``max_steps`` 次，
  然后返回 ``(h, steps)``，其中 ``steps`` 是实际执行的步数（int）。
  计算图有多深取决于数据；梯度仍然必须能流到 ``x`` 和 ``weight``。

检验你的代码：grader check exercise-02
"""

import torch


def mlp_logits(x, w1, b1, w2, b2):
    """ReLU 隐藏层之后接一个线性输出层，返回 logits (N, C)。"""
    # TODO: 这段照搬原文。ReLU 应该放在哪里，又不该放在哪里？
    x = torch.relu(x)
    hidden = torch.relu(x @ w1.T + b1)
    return torch.relu(hidden @ w2.T + b2)


def probabilities(logits, multilabel=False):
    """在最后一维上做 softmax；``multilabel`` 为真时改为逐元素的 sigmoid。"""
    # TODO
    raise NotImplementedError("probabilities is not written yet")


def gradient(fn, x):
    """标量函数 ``fn`` 的 d fn(x) / dx，``x`` 保持原样。"""
    # TODO
    raise NotImplementedError("gradient is not written yet")


def dynamic_depth(x, weight, tol, max_steps):
    """反复执行 h = tanh(weight @ h)，直到 ||h|| <= tol（最多 max_steps 次）；返回 (h, steps)。"""
    # TODO
    raise NotImplementedError("dynamic_depth is not written yet")
