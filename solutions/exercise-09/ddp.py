"""Reference solution for exercise 09: data-parallel training with DDP.

One process per rank. Each rank joins the process group (gloo on CPU, nccl on
GPUs), reads only its own shard of the data through a DistributedSampler, and
trains a DistributedDataParallel copy of the model. DDP broadcasts rank 0's
weights when it wraps the model and averages the gradients across ranks inside
``backward()``, so every rank takes the same optimiser step and the ranks stay
identical: together they do what one process would do on the global batch.

Run it yourself, on CPU with two processes:
    python ddp.py                              (starts the ranks with torch.multiprocessing)
    torchrun --nproc_per_node=2 ddp.py         (torchrun starts them and sets RANK, WORLD_SIZE)
"""

import os

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler


def setup(rank, world_size, device="cpu"):
    """Join the default process group as ``rank`` of ``world_size``."""
    # torchrun (or the grader) sets these; the defaults serve a manual launch on one machine.
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29500")
    backend = "nccl" if device == "cuda" else "gloo"
    if device == "cuda":
        torch.cuda.set_device(rank)  # one GPU per rank
    dist.init_process_group(backend, rank=rank, world_size=world_size)


def cleanup():
    """Leave the process group, so the process can exit (or join another)."""
    dist.destroy_process_group()


def make_loader(dataset, rank, world_size, batch_size, seed=0):
    """A loader that gives this rank its own 1/world_size of the dataset."""
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    # The sampler shuffles; shuffle=True here as well would be an error.
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler)


def train_ddp(rank, world_size, model, dataset, *, epochs=2, batch_size=8, lr=0.1, seed=0, device="cpu"):
    """Train ``model`` in place on this rank's shard with DDP, plain SGD and cross-entropy."""
    setup(rank, world_size, device)
    try:
        where = torch.device("cuda", rank) if device == "cuda" else torch.device("cpu")
        model.to(where)
        ddp_model = DistributedDataParallel(model, device_ids=[rank] if device == "cuda" else None)
        loader = make_loader(dataset, rank, world_size, batch_size, seed)
        optimizer = torch.optim.SGD(ddp_model.parameters(), lr=lr)
        for epoch in range(epochs):
            loader.sampler.set_epoch(epoch)  # a new shuffle each epoch, the same on every rank
            for x, y in loader:
                optimizer.zero_grad()
                loss = F.cross_entropy(ddp_model(x.to(where)), y.to(where))
                loss.backward()  # DDP averages the gradients across ranks here
                optimizer.step()
    finally:
        cleanup()


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
