"""Reference solution for exercise 01: creating, reshaping, indexing, casting and moving tensors.

Images are laid out (N, C, H, W): batch first, then channels. The article's
``torch.randn(2, 2, 3, 3)`` is therefore two 2-channel 3x3 images, which a
``Conv2d(1, ...)`` rejects; here the caller says what it needs.
"""

import torch


def random_images(n, channels, size, seed, device="cpu"):
    # A CPU generator gives the same numbers on every machine; move afterwards.
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, channels, size, size, generator=generator).to(device)


def flatten_batch(x):
    # flatten(1) copies when it must (non-contiguous input) and keeps dim 0.
    return x.flatten(1)


def prepare_batch(images, labels, device):
    x = images.to(device=device, dtype=torch.float32).div(255).unsqueeze(1)
    y = labels.to(device=device, dtype=torch.int64)
    return x, y


def blend(a, b):
    # uint8 + uint8 stays uint8 and wraps at 256: widen before adding.
    return (a.to(torch.float32) + b.to(torch.float32)) / 2


def class_scores(logits, labels):
    rows = torch.arange(logits.shape[0], device=logits.device)
    return logits[rows, labels]
