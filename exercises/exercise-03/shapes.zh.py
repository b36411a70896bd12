"""练习 03 — 卷积与池化的形状。

原文为 28x28 的数字图像搭了
``Conv2d(1, 64, kernel_size=32, padding=16)``，然后就认定
到达第一个 Linear 层的是 64*8*8 个特征。32x32 的卷积核
（比图像本身还大）和那个 8x8 都没有人算过。这道练习让你
把这套算术写一遍，拿它和 PyTorch 的实际行为对照，
再用它来确定各层的尺寸。

隐藏检查会在数百组随机设置上，把你的答案和 ``nn.Conv2d``、``nn.MaxPool2d``
实际产生的结果相比较。

- ``conv_output_size(h, kernel, stride=1, padding=0, dilation=1)``：卷积作用在
  ``h`` 个像素上时，沿一个空间轴的输出尺寸（int）。大小为 ``kernel``、
  空洞率为 ``d`` 的卷积核覆盖 ``d*(kernel-1) + 1`` 个像素。如果这比填充后的
  输入（``h + 2*padding``）还大，就抛出 ``ValueError``：nn.Conv2d 同样不接受
  这样的层。
- ``pool_output_size(h, kernel, stride=None, padding=0, dilation=1, ceil_mode=False)``：
  同样的计算，换成 ``nn.MaxPool2d``。它的 ``stride`` 默认等于 ``kernel``；
  ``ceil_mode=True`` 时向上取整（但窗口永远不会从右侧的填充里开始）。
  只会用到 nn.MaxPool2d 接受的设置（``padding <= kernel // 2``）。
- ``feature_sizes(size, layers)``：对边长为 ``size`` 像素的正方形输入，
  一叠层中每一层之后的尺寸。每一层是一个元组
  ``(kind, kernel, stride, padding, dilation)``，``kind`` 为 ``"conv"`` 或
  ``"pool"``。返回一个列表，每层一个 int。
- ``article_flat_features(size)``：输入为 size x size 时，每张图像有多少个
  特征到达原文的第一个 Linear 层（经过 ``ARTICLE_LAYERS`` 之后，有
  ``ARTICLE_CHANNELS`` 个通道）。28x28 的情形也请亲手算一遍：
  真的是 64*8*8 吗？
- ``same_conv(in_channels, out_channels, kernel_size, dilation=1)``：一个
  ``nn.Conv2d``，卷积核大小和空洞率取给定的值（``kernel_size`` 为奇数，
  步幅为 1），输出的高和宽与输入相同。
- ``conv_between(in_shape, out_shape)``：一个 ``nn.Conv2d``（步幅为 1），把形状
  为 (N, *in_shape) 的输入映射成形状为 (N, *out_shape) 的输出，其中
  ``in_shape`` 和 ``out_shape`` 都是 (channels, height, width)。输出可以比
  输入小，也可以比输入大。卷积核大小和填充都可以是二元组。

检验你的代码：grader check exercise-03
"""

import torch.nn as nn

# 原文的两个“卷积 + 池化”块，每层写成 (kind, kernel, stride, padding, dilation)。
ARTICLE_CHANNELS = 64
ARTICLE_LAYERS = [("conv", 32, 1, 16, 1), ("pool", 2, 2, 0, 1), ("conv", 32, 1, 16, 1), ("pool", 2, 2, 0, 1)]


def conv_output_size(h, kernel, stride=1, padding=0, dilation=1):
    """卷积沿一个轴的输出尺寸；卷积核放不下时抛出 ValueError。"""
    # TODO
    raise NotImplementedError("conv_output_size is not written yet")


def pool_output_size(h, kernel, stride=None, padding=0, dilation=1, ceil_mode=False):
    """nn.MaxPool2d 沿一个轴的输出尺寸（stride 默认等于 kernel）。"""
    # TODO
    raise NotImplementedError("pool_output_size is not written yet")


def feature_sizes(size, layers):
    """每个 (kind, kernel, stride, padding, dilation) 层之后的尺寸，组成一个 int 列表。"""
    # TODO
    raise NotImplementedError("feature_sizes is not written yet")


def article_flat_features(size):
    """size x size 的输入经过 ARTICLE_LAYERS、剩下 ARTICLE_CHANNELS 个通道时，每张图像的特征数。"""
    # TODO: 原文说是 64 * 8 * 8。不要照抄，把它算出来。
    return 64 * 8 * 8


def same_conv(in_channels, out_channels, kernel_size, dilation=1):
    """卷积核大小和空洞率取给定的值、并保持高和宽不变的 nn.Conv2d。"""
    # TODO: 多少填充能让尺寸保持不变？
    return nn.Conv2d(in_channels, out_channels, kernel_size, dilation=dilation)


def conv_between(in_shape, out_shape):
    """把 (N, *in_shape) 映射到 (N, *out_shape) 的 nn.Conv2d（步幅为 1）。"""
    # TODO
    raise NotImplementedError("conv_between is not written yet")
