"""练习 08 — 训练循环。

``build_model()`` 已经替你写好了。你要写的是每个 PyTorch 项目
都需要的两个循环，它们很容易在不知不觉中写错：步骤顺序错了的
代码照样能运行，往往还能学到一点东西。

目标：

* ``train(model, loader, epochs, optimizer, device="cpu")`` 用交叉熵
  损失，在 ``loader``（逐批产出 ``(images, labels)``）上把 ``model``
  训练 ``epochs`` 轮，返回一个列表，依次是每一轮的平均批量损失。
  每个批量都只能用它自己的梯度来训练。dropout 和批量归一化必须
  处于训练时的行为，即使传进来的模型处于评估模式也一样。
* ``evaluate(model, images, batch_size=256, device="cpu")`` 按原始顺序
  返回全部 N 张图像的 logits，形状为 (N, 10)；dropout 和批量归一化
  处于测试时的行为，并且不记录自动求导的计算图。

两个函数都要把数据移到 ``device`` 上；模型已经在那里，
或者会被移到那里。
评分器用 Adam 在真实的手写数字上训练 ``build_model()``，
并要求它在一批数字上达到至少 95% 的准确率，而这批
数字的标签你的代码从来没有见过。

检验你的代码：grader check exercise-08
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class DigitNet(nn.Module):
    """练习 04 的结构，只是更窄，在 CPU 上几秒钟就能训练完；批量归一化让训练更平稳。"""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.norm1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.norm2 = nn.BatchNorm2d(32)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.dropout = nn.Dropout(0.25)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.norm1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.norm2(self.conv2(x))), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.dropout(x))


def build_model():
    """评分器训练的模型：(N, 1, 28, 28) -> (N, 10) 的 logits。你也可以换成自己的模型。"""
    return DigitNet()


def train(model, loader, epochs, optimizer, device="cpu"):
    """在 ``loader`` 上把 ``model`` 训练 ``epochs`` 轮；返回每一轮的平均批量损失。"""
    history = []
    for _ in range(epochs):
        # TODO: 这里模型处于哪种模式？evaluate() 可能已经切换过它。
        total = 0.0
        for images, labels in loader:
            # TODO: 这个批量还留在数据加载器放它的地方，不在 `device` 上。
            loss = F.cross_entropy(model(images), labels)
            # TODO: 这两行的顺序反了，而且没有任何代码清除
            # 上一个批量留下的梯度。
            optimizer.step()
            loss.backward()
            total += loss.item()
        history.append(total / len(loader))
    return history


def evaluate(model, images, batch_size=256, device="cpu"):
    """按顺序返回每张图像的 logits：评估模式，并且不构建自动求导的计算图。"""
    # TODO: 这里的 dropout 仍然生效，而且每次前向传播都会记录一张计算图。
    outputs = []
    for start in range(0, len(images), batch_size):
        outputs.append(model(images[start:start + batch_size].to(device)))
    return torch.cat(outputs)
