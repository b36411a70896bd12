"""Exercise 03 — the shapes of convolution and pooling.

The article builds ``Conv2d(1, 64, kernel_size=32, padding=16)`` for 28x28
digits and then assumes 64*8*8 features reach the first Linear layer. Neither
the 32x32 kernel (larger than the image) nor the 8x8 was worked out. Here you
write the arithmetic once, check it against what PyTorch really does, and use
it to size layers.

The checks compare your answers with what ``nn.Conv2d`` and ``nn.MaxPool2d``
actually produce, on hundreds of random settings.

- ``conv_output_size(h, kernel, stride=1, padding=0, dilation=1)``: the output
  size (an int) along one spatial axis of a convolution over ``h`` pixels.
  A kernel of ``kernel`` taps with dilation ``d`` covers ``d*(kernel-1) + 1``
  pixels. If that is more than the padded input (``h + 2*padding``), raise
  ``ValueError``: nn.Conv2d refuses such a layer too.
- ``pool_output_size(h, kernel, stride=None, padding=0, dilation=1, ceil_mode=False)``:
  the same for ``nn.MaxPool2d``, whose ``stride`` defaults to the kernel size,
  and which rounds up when ``ceil_mode=True`` (but never starts a window in
  the right-hand padding). Only settings that nn.MaxPool2d accepts are used
  (``padding <= kernel // 2``).
- ``feature_sizes(size, layers)``: the size after each layer of a stack, for a
  square input of ``size`` pixels. Each layer is a tuple
  ``(kind, kernel, stride, padding, dilation)`` with ``kind`` "conv" or "pool".
  Return a list with one int per layer.
- ``article_flat_features(size)``: how many features per image reach the
  article's first Linear layer (``ARTICLE_CHANNELS`` channels after
  ``ARTICLE_LAYERS``) for a size x size input. Work out the 28x28 case by hand
  too: is it 64*8*8?
- ``same_conv(in_channels, out_channels, kernel_size, dilation=1)``: an
  ``nn.Conv2d`` with that kernel size and dilation (odd ``kernel_size``,
  stride 1) whose output has the same height and width as its input.
- ``conv_between(in_shape, out_shape)``: an ``nn.Conv2d`` (stride 1) that maps
  inputs of shape (N, *in_shape) to outputs of shape (N, *out_shape), where
  ``in_shape`` and ``out_shape`` are (channels, height, width). The output may
  be smaller or larger than the input. Kernel size and padding may be pairs.

Check your work with:  grader check exercise-03
"""

import torch.nn as nn

# The article's two conv + pool blocks as (kind, kernel, stride, padding, dilation).
ARTICLE_CHANNELS = 64
ARTICLE_LAYERS = [("conv", 32, 1, 16, 1), ("pool", 2, 2, 0, 1), ("conv", 32, 1, 16, 1), ("pool", 2, 2, 0, 1)]


def conv_output_size(h, kernel, stride=1, padding=0, dilation=1):
    """Output size of a convolution along one axis; ValueError when the kernel does not fit."""
    # TODO
    raise NotImplementedError("conv_output_size is not written yet")


def pool_output_size(h, kernel, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Output size of nn.MaxPool2d along one axis (stride defaults to kernel)."""
    # TODO
    raise NotImplementedError("pool_output_size is not written yet")


def feature_sizes(size, layers):
    """The size after each (kind, kernel, stride, padding, dilation) layer, as a list of ints."""
    # TODO
    raise NotImplementedError("feature_sizes is not written yet")


def article_flat_features(size):
    """Features per image after ARTICLE_LAYERS on a size x size input, with ARTICLE_CHANNELS channels."""
    # TODO: the article says 64 * 8 * 8. Compute it instead.
    return 64 * 8 * 8


def same_conv(in_channels, out_channels, kernel_size, dilation=1):
    """An nn.Conv2d with this kernel size and dilation that keeps height and width."""
    # TODO: what padding keeps the size?
    return nn.Conv2d(in_channels, out_channels, kernel_size, dilation=dilation)


def conv_between(in_shape, out_shape):
    """An nn.Conv2d (stride 1) mapping (N, *in_shape) to (N, *out_shape)."""
    # TODO
    raise NotImplementedError("conv_between is not written yet")
