"""练习 05 — 同一个网络，写成 nn.Sequential。

原文把四个层交给 ``nn.Sequential`` 来搭建网络：两个卷积层和
两个线性层，一个紧接着一个。可是 ``nn.Sequential`` 只按顺序运行
你列出的模块，别的什么也不做：基于类的 ``forward`` 里的每一次
ReLU、每一次最大池化，还有展平那一步，也都必须作为模块写进
这个列表。少了它们，第一个线性层收到的是一个四维的特征图，
调用就会失败。

目标：``build_net()`` 返回一个 ``nn.Sequential``，对形状为
(N, 1, 28, 28)、N 任意的输入，它的计算与练习 04 的 ``Net`` 完全
相同：权重相同时，两者给出相同的 logits (N, 10)。下面各层的尺寸
已经是对的；保持它们的顺序，并返回原始 logits（最后一层之后
不接激活函数）。

检验你的代码：grader check exercise-05
"""

import torch.nn as nn


def build_net() -> nn.Sequential:
    conv1 = nn.Conv2d(1, 64, kernel_size=3, padding=1)
    conv2 = nn.Conv2d(64, 64, kernel_size=3, padding=1)
    fc1 = nn.Linear(64 * 7 * 7, 512)
    fc2 = nn.Linear(512, 10)
    # TODO: 加上 Net.forward 在这些层之间调用的模块：
    #       每个卷积层之后一个激活函数和一个 2x2 最大池化，一个保留批量维的
    #       展平，以及 fc1 和 fc2 之间的一个激活函数。
    return nn.Sequential(conv1, conv2, fc1, fc2)
