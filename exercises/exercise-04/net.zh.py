"""练习 04 — 修好 Net。

这是原文里的那个网络，bug 原封未动。它本该给 28x28 的灰度数字
图像分类，却在大多数批量大小下都会崩溃；不崩溃的时候，又会把
不同的样本混在一起。

目标：``Net()`` 接受形状为 (N, 1, 28, 28) 的批量，对任意 N（包括 N = 1）
都返回形状为 (N, 10) 的 logits。每个样本的 logits 只取决于这个样本本身。
参数总数少于 200 万，并且返回原始 logits（最后一层之后不接激活函数）：
损失函数自己会做 softmax。

检验你的代码：grader check exercise-04
"""

import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # TODO: 在 28x28 的图像上用 32x32 的卷积核？算一算每一层的输出尺寸。
        self.conv1 = nn.Conv2d(1, 64, kernel_size=32, padding=16)
        self.conv2 = nn.Conv2d(64, 64, kernel_size=32, padding=16)
        # TODO: 到达这一层的特征数并不是 64*8*8。
        self.fc1 = nn.Linear(64 * 8 * 8, 512)
        self.fc2 = nn.Linear(512, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2(x), 2))
        # TODO: 尺寸不对时，view(-1, ...) 会把不同的样本折叠到一起。
        x = x.view(-1, 64 * 8 * 8)
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x
