"""Exercise 09 — train on several processes with DistributedDataParallel.

The article's "multi-GPU" example picks one device and trains there: whatever
the number of GPUs, one process does all the work. Real data-parallel training
starts one process per device (a *rank*); each rank reads a different shard of
the data, and the ranks average their gradients so that their copies of the
model stay identical.

Goal: fill in the four functions below so that ``world_size`` processes, each
calling ``train_ddp(rank, world_size, ...)``, train together:
  * ``setup(rank, world_size, device)`` joins the default process group:
    backend "gloo" when device is "cpu", "nccl" when it is "cuda" (one GPU per
    rank, ``cuda:<rank>``). Take the rendezvous address from the environment
    variables MASTER_ADDR and MASTER_PORT when they are set (torchrun and the
    grader set them), else use 127.0.0.1 and a port of your choice.
  * ``cleanup()`` leaves (destroys) the process group.
  * ``make_loader(dataset, rank, world_size, batch_size, seed)`` returns a
    DataLoader over this rank's shard only, shuffled with ``seed``;
    ``batch_size`` is per rank; keep num_workers at 0.
  * ``train_ddp(...)`` trains ``model`` in place with DistributedDataParallel:
    plain SGD (no momentum) with learning rate ``lr`` on the cross-entropy
    loss, ``epochs`` passes over the data, a new shuffle every epoch. It joins
    the process group first and leaves it at the end.

Afterwards every rank must hold the same weights as one process that trained
on the same global batches (all ranks' batches of a step, together).

Check your work with:  grader check exercise-09
Try it yourself with:  python ddp.py   (starts 2 processes on CPU)
"""

import os

import torch
import torch.distributed as dist  # noqa: F401  (setup and cleanup need it)
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel  # noqa: F401  (train_ddp needs it)
from torch.utils.data import DataLoader, DistributedSampler  # noqa: F401


def setup(rank, world_size, device="cpu"):
    """Join the default process group as ``rank`` of ``world_size``."""
    # TODO: set defaults for MASTER_ADDR / MASTER_PORT (keep values that are already set),
    #       pick the backend for the device, and call dist.init_process_group.
    raise NotImplementedError("TODO: setup() should join the process group with dist.init_process_group")


def cleanup():
    """Leave the process group."""
    # TODO: one call to torch.distributed.
    raise NotImplementedError("TODO: cleanup() should destroy the process group")


def make_loader(dataset, rank, world_size, batch_size, seed=0):
    """A loader over this rank's shard of ``dataset``."""
    # TODO: this is the single-process way: every rank would read the WHOLE dataset.
    return DataLoader(dataset, batch_size=batch_size, shuffle=True)


def train_ddp(rank, world_size, model, dataset, *, epochs=2, batch_size=8, lr=0.1, seed=0, device="cpu"):
    """Train ``model`` in place on this rank's shard with DDP, plain SGD and cross-entropy."""
    setup(rank, world_size, device)
    where = torch.device("cuda", rank) if device == "cuda" else torch.device("cpu")
    model.to(where)
    # TODO: wrap the model in DistributedDataParallel and train the wrapper.
    loader = make_loader(dataset, rank, world_size, batch_size, seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(epochs):
        # TODO: a new shuffle each epoch (the same one on every rank).
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x.to(where)), y.to(where))
            loss.backward()
            optimizer.step()
    # TODO: leave the process group.


def _demo(rank, world_size):
    """Each rank trains on its half of 512 made-up samples; rank 0 reports the loss on all of them."""
    from torch.utils.data import TensorDataset

    x = torch.randn(512, 20, generator=torch.Generator().manual_seed(0))
    data = TensorDataset(x, x[:, :4].argmax(dim=1))  # the label: which of the first 4 features is largest
    torch.manual_seed(rank)  # different on each rank on purpose: DDP starts every rank from rank 0's weights
    model = torch.nn.Sequential(torch.nn.Linear(20, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
    before = F.cross_entropy(model(x), data.tensors[1]).item()
    train_ddp(rank, world_size, model, data, epochs=5, batch_size=16, lr=0.2)
    if rank == 0:
        after = F.cross_entropy(model(x), data.tensors[1]).item()
        print(f"rank 0 of {world_size}: loss {before:.3f} before training, {after:.3f} after")


if __name__ == "__main__":
    if "RANK" in os.environ:  # started by torchrun, which also sets MASTER_ADDR and MASTER_PORT
        _demo(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]))
    else:
        import torch.multiprocessing as mp

        mp.spawn(_demo, args=(2,), nprocs=2)
