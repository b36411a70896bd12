"""练习 07 — 数据管道：Dataset、DataLoader 与变换。

原文说 PyTorch 内置了“丰富的数据处理功能”，然后就
没有下文了。这道练习要你搭起训练循环真正需要的
数据管道。图像已经放在内存里，是一个 uint8 张量，
形状为 (N, C, H, W)；整数标签的形状为 (N,)。
要写的是下面四样：

* ``ImageTensorDataset(images, labels, transform=None)``：一个
  ``torch.utils.data.Dataset``。``len(ds)`` 是 N；``ds[i]`` 是
  ``(image, label)``，其中 image 是 ``transform(images[i])``
  （没有 transform 时就是原样的 ``images[i]``），label 是
  ``labels[i]``。
* ``channel_stats(images)``：把图像缩放到 [0, 1] 之后，每个通道的
  均值和标准差，以两个形状为 (C,) 的 float32 张量返回。
* ``make_transform(mean, std, train)``：一条 torchvision.transforms.v2
  变换管道，把 uint8 图像 (C, H, W) 转成缩放到 [0, 1] 的 float32，
  再用 ``mean`` 和 ``std``（各含 C 个浮点数的序列，例如
  ``channel_stats`` 的结果用 ``.tolist()`` 转成的列表）对每个通道
  做归一化。``train=True`` 时，它还要施加一个不改变图像形状的
  随机增强（例如水平翻转）；``train=False`` 时，它是确定性的。
* ``make_loader(dataset, batch_size, seed)``：一个 DataLoader，用它
  自己的、以 ``seed`` 为种子的 ``torch.Generator`` 打乱顺序（同一个
  种子给出同样的顺序，全局随机状态保持不变），并保留最后那个
  较小的批量。

检验你的代码：grader check exercise-07
"""

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2


class ImageTensorDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        # TODO: 保存 __len__ 和 __getitem__ 要用到的东西。
        pass

    def __len__(self):
        raise NotImplementedError("TODO: return the number of samples")  # 返回样本数

    def __getitem__(self, index):
        raise NotImplementedError("TODO: return (image, label) for one index, transformed if asked")  # 取出一个样本


def channel_stats(images):
    # TODO: 先缩放到 [0, 1]；在除通道维以外的所有维度上求统计量。
    raise NotImplementedError("TODO: return (mean, std), each of shape (C,)")


def make_transform(mean, std, train):
    # TODO: v2.Compose([...])，包含 ToDtype(..., scale=True)、Normalize，以及训练时用的一个数据增强。
    raise NotImplementedError("TODO: build the v2 transform pipeline")


def make_loader(dataset, batch_size, seed):
    # TODO: DataLoader(..., shuffle=True, generator=...)，生成器以 `seed` 为种子。
    raise NotImplementedError("TODO: build the DataLoader")
