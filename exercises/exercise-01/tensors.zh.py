"""练习 01 — 张量：创建、变形、索引、类型转换与设备迁移。

原文讲张量，停在 ``x = torch.randn(2, 2, 3, 3)`` 这一行，接着就把它交给
``Conv2d(1, ...)``，而这一层只接受一个输入通道。按 PyTorch 的约定读这个形状，
(N, C, H, W) 依次是批量、通道、高、宽，它就是两张各有两个通道的图像，
并不是那一层要的张量。

请实现下面五个函数。评分时，每个函数都会在随机输入上调用，在 CPU 上运行
（有 CUDA 设备时也在 CUDA 上运行），并与参考答案比较。

- ``random_images(n, channels, size, seed, device="cpu")``：形状为
  (n, channels, size, size)、服从标准正态分布的 float32 张量。先用以 ``seed``
  为种子的 CPU ``torch.Generator`` 生成这些数值（这样同一个种子在任何机器上
  都得到同样的数），再把结果放到 ``device`` 上。
- ``flatten_batch(x)``：把 (N, d1, d2, ...) 变形为 (N, d1*d2*...)，保留批量维。
  ``x`` 在内存中不连续时（经过转置或重排维度的张量，或者带步长的切片）也必须
  正确，而这种情况下 ``view`` 会失败。
- ``prepare_batch(images, labels, device)``：图像是 uint8 的 (N, H, W)，取值
  为 0..255；标签是 int32 的 (N,)。返回 ``(x, y)``：``x`` 是形状为 (N, 1, H, W)、
  缩放到 [0, 1] 的 float32；``y`` 是 int64（损失函数要求类别索引是这种 dtype）；
  两者都放在 ``device`` 上。
- ``blend(a, b)``：两张形状相同的 uint8 图像逐像素的平均值，类型为 float32，
  在 a + b > 255 的地方也要精确。
- ``class_scores(logits, labels)``：对形状为 (N, C) 的 logits 和 (N,) 的 labels，
  返回形状为 (N,) 的张量，第 i 个元素是 ``logits[i, labels[i]]``。不许用 Python 循环。

每个结果都留在（或移到）要求的设备上。

检验你的代码：grader check exercise-01
"""

import torch


def random_images(n, channels, size, seed, device="cpu"):
    """形状为 (n, channels, size, size) 的标准正态 float32 图像，可由 ``seed`` 复现。"""
    # TODO: 这是原文的张量。哪一维是批量，哪一维是通道？
    return torch.randn(2, 2, 3, 3)


def flatten_batch(x):
    """(N, ...) -> (N, 其余所有维)，``x`` 连续与否都要正确。"""
    # TODO
    raise NotImplementedError("flatten_batch is not written yet")


def prepare_batch(images, labels, device):
    """uint8 图像 (N, H, W)、int32 标签 (N,) -> [0, 1] 内的 float32 (N, 1, H, W)、int64 (N,)，都在 ``device`` 上。"""
    # TODO
    raise NotImplementedError("prepare_batch is not written yet")


def blend(a, b):
    """两张 uint8 图像的 float32 平均值，不会溢出回绕。"""
    # TODO
    raise NotImplementedError("blend is not written yet")


def class_scores(logits, labels):
    """每一行 i 的 ``logits[i, labels[i]]``，组成形状为 (N,) 的张量。"""
    # TODO
    raise NotImplementedError("class_scores is not written yet")
