"""练习 06 — 自己写一个交叉熵损失。

原文的自定义损失先取 ``log(softmax(x))``，再乘上目标。这里错了两处：
目标是类别索引时，形状根本对不上；而且 logits 很大时，``softmax`` 会把
很小的概率舍入成 0，取对数就得到 -inf，损失随之变成 inf 或 NaN。

目标：对形状为 (N, C) 的 logits ``output`` 和形状为 (N,) 的类别索引
``target``，``custom_loss(output, target, label_smoothing=0.0)`` 返回的标量
（以及它的梯度）与
``torch.nn.functional.cross_entropy(output, target, label_smoothing=label_smoothing)``
相同：

* 每个样本的损失是 -log p[target]，其中 log p 是在类别上做的 log-softmax；
  标签平滑系数为 e 时，它等于 (1 - e) 乘上面这个值，再加上 e 乘所有 C 个
  类别上 -log p 的平均值；
* 结果是对批量求的平均值；
* logits 大到 +/-1e4 时仍然保持有限。

只用张量运算来写：本练习禁止使用 ``cross_entropy`` 和 ``nll_loss``（任何
形式都不行，包括 ``nn.CrossEntropyLoss``）。

检验你的代码：grader check exercise-06
"""

import torch


def custom_loss(output, target, label_smoothing=0.0):
    # TODO: 这是原文的写法。它的 target 应该是每个样本一个类别索引，
    #       而且 logits 很大时 log(softmax(...)) 会得到 -inf。
    proba = torch.softmax(output, dim=1)
    loss = -torch.log(proba) * target
    return loss.mean()
