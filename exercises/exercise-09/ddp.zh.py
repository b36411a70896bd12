"""练习 09 — 用 DistributedDataParallel 在多个进程上训练。

原文的“多 GPU”例子选定一个设备，就在那上面训练：不管有几块 GPU，
所有的活都由一个进程干。真正的数据并行训练为每个设备启动一个进程
（称为一个 *rank*）；每个 rank 读取数据的不同分片，各个 rank 对梯度
求平均，让它们手里的模型副本始终保持一致。

目标：补全下面四个函数，让 ``world_size`` 个进程各自调用
``train_ddp(rank, world_size, ...)``，一起完成训练：
  * ``setup(rank, world_size, device)`` 加入默认进程组：device 为
    ``"cpu"`` 时用 ``"gloo"`` 后端，为 ``"cuda"`` 时用 ``"nccl"`` 后端
    （每个 rank 一块 GPU，即 ``cuda:<rank>``）。环境变量 MASTER_ADDR 和
    MASTER_PORT 已经设置时（torchrun 和评分器都会设置），就从它们读取
    会合（rendezvous）地址，否则使用 127.0.0.1 和一个你自选的端口。
  * ``cleanup()`` 离开（销毁）进程组。
  * ``make_loader(dataset, rank, world_size, batch_size, seed)`` 返回一个
    只遍历本 rank 数据分片的 DataLoader，用 ``seed`` 打乱顺序；
    ``batch_size`` 是每个 rank 各自的批量大小；num_workers 保持为 0。
  * ``train_ddp(...)`` 用 DistributedDataParallel 原地训练 ``model``：
    在交叉熵损失上使用学习率为 ``lr`` 的普通 SGD（不带动量），
    遍历数据 ``epochs`` 轮，每一轮重新打乱顺序。它先加入进程组，
    最后离开进程组。

训练结束后，每个 rank 持有的权重都必须与单个进程在同样的
全局批量（同一步里所有 rank 的批量合在一起）上训练出的
权重相同。

检验你的代码：grader check exercise-09
自己动手试试：python ddp.py（在 CPU 上启动 2 个进程）
"""

import os

import torch
import torch.distributed as dist  # noqa: F401  setup 和 cleanup 要用到它
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel  # noqa: F401  train_ddp 要用到它
from torch.utils.data import DataLoader, DistributedSampler  # noqa: F401


def setup(rank, world_size, device="cpu"):
    """以 ``world_size`` 个进程中第 ``rank`` 号的身份加入默认进程组。"""
    # TODO: 为 MASTER_ADDR / MASTER_PORT 设置默认值（已经设置的值保持不变），
    #       按设备选择后端，然后调用 dist.init_process_group。
    raise NotImplementedError("TODO: setup() should join the process group with dist.init_process_group")


def cleanup():
    """离开进程组。"""
    # TODO: 调用一次 torch.distributed 就够了。
    raise NotImplementedError("TODO: cleanup() should destroy the process group")


def make_loader(dataset, rank, world_size, batch_size, seed=0):
    """遍历 ``dataset`` 中本 rank 那一份分片的数据加载器。"""
    # TODO: 这是单进程的写法：每个 rank 都会读取整个数据集。
    return DataLoader(dataset, batch_size=batch_size, shuffle=True)


def train_ddp(rank, world_size, model, dataset, *, epochs=2, batch_size=8, lr=0.1, seed=0, device="cpu"):
    """用 DDP、普通 SGD 和交叉熵，在本 rank 的分片上原地训练 ``model``。"""
    setup(rank, world_size, device)
    where = torch.device("cuda", rank) if device == "cuda" else torch.device("cpu")
    model.to(where)
    # TODO: 用 DistributedDataParallel 包装模型，然后训练包装后的模型。
    loader = make_loader(dataset, rank, world_size, batch_size, seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        # TODO: 每一轮重新打乱顺序（并且每个 rank 上的顺序相同）。
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x.to(where)), y.to(where))
            loss.backward()
            optimizer.step()
    # TODO: 离开进程组。


def _demo(rank, world_size):
    """每个 rank 在 512 个虚构样本中自己的那一半上训练；rank 0 报告模型在全部样本上的损失。"""
    from torch.utils.data import TensorDataset

    x = torch.randn(512, 20, generator=torch.Generator().manual_seed(0))
    data = TensorDataset(x, x[:, :4].argmax(dim=1))  # 标签：前 4 个特征中哪一个最大
    torch.manual_seed(rank)  # 故意让每个 rank 不同：DDP 会让每个 rank 都从 rank 0 的权重开始
    model = torch.nn.Sequential(torch.nn.Linear(20, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
    before = F.cross_entropy(model(x), data.tensors[1]).item()
    train_ddp(rank, world_size, model, data, epochs=5, batch_size=16, lr=0.2)
    if rank == 0:
        after = F.cross_entropy(model(x), data.tensors[1]).item()
        print(f"rank 0 of {world_size}: loss {before:.3f} before training, {after:.3f} after")


if __name__ == "__main__":
    if "RANK" in os.environ:  # 由 torchrun 启动，它同时也设置了 MASTER_ADDR 和 MASTER_PORT
        _demo(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]))
    else:
        import torch.multiprocessing as mp

        mp.spawn(_demo, args=(2,), nprocs=2)
