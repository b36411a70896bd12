"""Exercise 01 — tensors: create, reshape, index, cast and move them.

The article's tensor section stops at ``x = torch.randn(2, 2, 3, 3)`` and then
feeds that to ``Conv2d(1, ...)``, which wants one input channel. Read the shape
the way PyTorch does, (N, C, H, W) = (batch, channels, height, width), and it
is two images of two channels each: the wrong tensor for that layer.

Write the five functions below. Each one is called with random inputs, on the
CPU and (where there is one) on a CUDA device, and compared with a reference.

- ``random_images(n, channels, size, seed, device="cpu")``: a float32 tensor of
  shape (n, channels, size, size) holding standard-normal values. Draw them
  from a CPU ``torch.Generator`` seeded with ``seed`` (so the same seed gives the
  same numbers on every machine), then put the result on ``device``.
- ``flatten_batch(x)``: reshape (N, d1, d2, ...) to (N, d1*d2*...), keeping the
  batch dimension. It must also work when ``x`` is not contiguous in memory
  (a transposed or permuted tensor, or a strided slice), where ``view`` fails.
- ``prepare_batch(images, labels, device)``: images arrive as uint8 (N, H, W)
  with values 0..255, labels as int32 (N,). Return ``(x, y)``: ``x`` float32 of
  shape (N, 1, H, W) scaled to [0, 1], ``y`` int64 (the dtype losses expect for
  class indices), both on ``device``.
- ``blend(a, b)``: the pixel-wise average of two uint8 images of the same shape,
  as float32, exact even where a + b > 255.
- ``class_scores(logits, labels)``: for logits (N, C) and labels (N,), the (N,)
  tensor holding ``logits[i, labels[i]]`` for every sample i. No Python loop.

Every result stays on (or goes to) the device asked for.

Check your work with:  grader check exercise-01
"""

import torch


def random_images(n, channels, size, seed, device="cpu"):
    """Standard-normal float32 images of shape (n, channels, size, size), reproducible from ``seed``."""
    # TODO: this is the article's tensor. Which axis is the batch, which the channels?
    return torch.randn(2, 2, 3, 3)


def flatten_batch(x):
    """(N, ...) -> (N, everything else), for contiguous and non-contiguous ``x`` alike."""
    # TODO
    raise NotImplementedError("flatten_batch is not written yet")


def prepare_batch(images, labels, device):
    """uint8 (N, H, W) images and int32 (N,) labels -> float32 (N, 1, H, W) in [0, 1] and int64 (N,), on ``device``."""
    # TODO
    raise NotImplementedError("prepare_batch is not written yet")


def blend(a, b):
    """The float32 average of two uint8 images, without wrap-around."""
    # TODO
    raise NotImplementedError("blend is not written yet")


def class_scores(logits, labels):
    """``logits[i, labels[i]]`` for every row i, as an (N,) tensor."""
    # TODO
    raise NotImplementedError("class_scores is not written yet")
