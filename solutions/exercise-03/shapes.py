"""Reference solution for exercise 03: the shape arithmetic of convolution and pooling.

A kernel of ``k`` taps with dilation ``d`` spans ``d*(k-1) + 1`` pixels. It fits
``floor((h + 2*padding - span) / stride) + 1`` times into a padded input of
``h`` pixels. The article's 32x32 kernel with padding 16 therefore turns 28
pixels into 29, and after pooling, a second such conv and pooling, 7: the first
Linear layer sees 64*7*7 = 3136 features, not 64*8*8.
"""

import torch.nn as nn

ARTICLE_CHANNELS = 64
ARTICLE_LAYERS = [("conv", 32, 1, 16, 1), ("pool", 2, 2, 0, 1), ("conv", 32, 1, 16, 1), ("pool", 2, 2, 0, 1)]


def _span(kernel, dilation):
    return dilation * (kernel - 1) + 1


def conv_output_size(h, kernel, stride=1, padding=0, dilation=1):
    span = _span(kernel, dilation)
    if h + 2 * padding < span:
        raise ValueError(f"a kernel spanning {span} pixels does not fit in {h} pixels padded by {padding}")
    return (h + 2 * padding - span) // stride + 1


def pool_output_size(h, kernel, stride=None, padding=0, dilation=1, ceil_mode=False):
    stride = kernel if stride is None else stride
    room = h + 2 * padding - _span(kernel, dilation)
    if not ceil_mode:
        return room // stride + 1
    out = -(-room // stride) + 1
    if (out - 1) * stride >= h + padding:  # that last window would start in the right padding
        out -= 1
    return out


def feature_sizes(size, layers):
    sizes = []
    for kind, kernel, stride, padding, dilation in layers:
        size_of = conv_output_size if kind == "conv" else pool_output_size
        size = size_of(size, kernel, stride, padding, dilation)
        sizes.append(size)
    return sizes


def article_flat_features(size):
    side = feature_sizes(size, ARTICLE_LAYERS)[-1]
    return ARTICLE_CHANNELS * side * side


def same_conv(in_channels, out_channels, kernel_size, dilation=1):
    return nn.Conv2d(in_channels, out_channels, kernel_size,
                     padding=dilation * (kernel_size - 1) // 2, dilation=dilation)


def conv_between(in_shape, out_shape):
    (c_in, h_in, w_in), (c_out, h_out, w_out) = in_shape, out_shape

    def fit(n_in, n_out):
        # stride 1: n_out = n_in + 2*padding - kernel + 1; pad only when growing
        padding = max(0, -(-(n_out - n_in) // 2))
        return n_in + 2 * padding - n_out + 1, padding

    (kh, ph), (kw, pw) = fit(h_in, h_out), fit(w_in, w_out)
    return nn.Conv2d(c_in, c_out, (kh, kw), padding=(ph, pw))
