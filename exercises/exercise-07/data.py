"""Exercise 07 — a data pipeline: Dataset, DataLoader and transforms.

The article says PyTorch has "rich built-in data processing" and stops there.
Here you build the pipeline a training loop actually needs, for images that
are already in memory as a uint8 tensor of shape (N, C, H, W) with integer
labels of shape (N,):

* ``ImageTensorDataset(images, labels, transform=None)``: a
  ``torch.utils.data.Dataset``. ``len(ds)`` is N; ``ds[i]`` is
  ``(image, label)``, where image is ``transform(images[i])`` (or
  ``images[i]`` untouched when there is no transform) and label is
  ``labels[i]``.
* ``channel_stats(images)``: the per-channel mean and standard deviation of
  the images scaled to [0, 1], as two float32 tensors of shape (C,).
* ``make_transform(mean, std, train)``: a torchvision.transforms.v2 pipeline
  that turns a uint8 image (C, H, W) into float32 scaled to [0, 1], then
  normalizes each channel with ``mean`` and ``std`` (sequences of C floats,
  e.g. ``channel_stats``'s tensors turned into lists with ``.tolist()``).
  With ``train=True`` it also applies a random augmentation that keeps the
  image's shape (e.g. a horizontal flip); with ``train=False`` it is
  deterministic.
* ``make_loader(dataset, batch_size, seed)``: a DataLoader that shuffles with
  its own ``torch.Generator`` seeded with ``seed`` (the same seed gives the
  same order; the global random state is left alone) and keeps the last,
  smaller batch.

Check your work with:  grader check exercise-07
"""

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2


class ImageTensorDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        # TODO: keep what __len__ and __getitem__ need.
        pass

    def __len__(self):
        raise NotImplementedError("TODO: return the number of samples")

    def __getitem__(self, index):
        raise NotImplementedError("TODO: return (image, label) for one index, transformed if asked")


def channel_stats(images):
    # TODO: scale to [0, 1] first; reduce over every dimension except the channel one.
    raise NotImplementedError("TODO: return (mean, std), each of shape (C,)")


def make_transform(mean, std, train):
    # TODO: v2.Compose([...]) with ToDtype(..., scale=True), Normalize, and an augmentation for training.
    raise NotImplementedError("TODO: build the v2 transform pipeline")


def make_loader(dataset, batch_size, seed):
    # TODO: DataLoader(..., shuffle=True, generator=...) seeded with `seed`.
    raise NotImplementedError("TODO: build the DataLoader")
