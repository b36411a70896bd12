"""The numbers the pages state about a figure or an example are the numbers the code computes.

Both editions. The mechanism is tests/docs/page_numbers.py; this file says what each page states:

* ``ALT_TEXT``: per figure, the facts its alt text states, in order, as a Python list over
  the names of ``course_figures.facts()[figure]`` (lists are runs of numbers, tuples one
  shape or tuple each), with a Chinese order where the translation words it differently.
  Every number of every alt text is checked: none may be added, changed or dropped by
  hand, and a figure without an entry here fails.
* ``CLAIMS``: sentence fragments of the prose (and of tables, a Mermaid diagram and a code
  comment) whose numbers come from a figure's facts or from ``examples()``, numbers this
  file computes from the code the chapters run (the kit's two ``Net`` files, PyTorch,
  scikit-learn's digits). A claim that states an example's inputs as well (``[1500, 297]``)
  ties the example to the page's code.
* The convolution chapter's output-size table: each row against a real layer.

Outputs printed in ``pycon`` sessions are not repeated here: Sybil runs those
(docs/conftest.py). ``python tests/docs/test_page_numbers.py`` lists every number covered.
"""

from __future__ import annotations

import math
import re
import sys
from functools import cache

import pytest

from devtools import editions
from grader import paths

import page_numbers as docs_numbers
from page_numbers import Claim

# -- alt texts -------------------------------------------------------------------------------
ALT_TEXT = {
    "conv-sliding": "rows, input, kernel_size[0], padding[0], window[0], input, outputs[0], stride[1], stride[1], "
                    "input, outputs[1], padding[2], dilation[2], taps[2], spans[2], input, outputs[2]",
    "cross-correlation": {"en": "input, input_range, kernel_shape, kernel, output, terms, top_left, flipped",
                          "zh": "input_range, input, kernel_shape, kernel, output, terms, top_left, flipped"},
    "max-pooling": {"en": "input, blocks, block, kernel_size, stride, maxima, output",
                    "zh": "input, blocks, block, stride, kernel_size, maxima, output"},
    "broadcasting": {"en": "a_shape, a_values, b_shape, b_range, columns, rows, sum_shape, sum_range",
                     "zh": "a_values, a_shape, b_range, b_shape, columns, rows, sum_range, sum_shape"},
    "activation-curves": "leaky_slope, x_range, sigmoid_range, tanh_range",
    "autograd-graph": "a_grad, b_grad, c_grad",
    "softmax-label-smoothing": {
        "en": "panels, classes, target, logits, softmax, one_hot, epsilon, smoothed, plain_loss, smoothed_loss",
        "zh": "classes, target, panels, logits, softmax, one_hot, epsilon, smoothed, plain_loss, smoothed_loss"},
    "net-shapes": "bars, batch, shapes[:7], flatten_args, shapes[7:]",
    "broken-vs-fixed": "columns, batch, seed_marked[:2], view_args, seed_marked[2:], "
                       "fixed_marked[:2], flatten_args, fixed_marked[2:]",
    "training-loop": "numbers, numbers[0]",
    "loss-curve": {"en": "steps, first, classes, at_probe, probe, below",
                   "zh": "steps, first, classes, probe, at_probe, below"},
    "sampler-shards": {
        "en": "index_range, ranks, per_rank, batches, batch_size, repeated, repeats, per_rank",
        "zh": "index_range, ranks, per_rank, batches, batch_size, world_size, per_rank, repeated, repeats, world_size"},
    "ddp-allreduce": {"en": "world_size, weights, local[0], ranks[0], local[1], ranks[1], world_size, average",
                      "zh": "world_size, weights, ranks[0], local[0], ranks[1], local[1], world_size, world_size, "
                            "average"},
}


def alt_template(figure: str, lang: str) -> str:
    template = ALT_TEXT[figure]
    return template if isinstance(template, str) else template[lang]


def alt_items(figure: str, lang: str, facts: dict) -> list[tuple[str, object]]:
    """``(fact, value)`` for each number an alt text states, in order: the template over the figure's facts."""
    items = []
    for name in (part.strip() for part in alt_template(figure, lang).split(",")):
        value = eval(name, {}, dict(facts[figure]))  # noqa: S307 - names and indexes of our own facts
        items += [(name, v) for v in docs_numbers.flatten([value])]
    return items


def expected_alt_numbers(figure: str, lang: str, facts: dict) -> list:
    return [value for _, value in alt_items(figure, lang, facts)]


# -- prose -----------------------------------------------------------------------------------
CLAIMS = [
    # activations: the curves' range, the table's minima, the autograd figure's gradients
    Claim("chapters/activations", "activation-curves", "for {x_range[0]} ≤ x ≤ {x_range[1]}.",
          "在 {x_range[0]} ≤ x ≤ {x_range[1]} 上"),
    Claim("chapters/activations", "activation-curves", "| GELU | `x · Φ(x)` | about `[{gelu_min:.2f}, ∞)` |",
          "| GELU | `x · Φ(x)` | 约 `[{gelu_min:.2f}, ∞)` |"),
    Claim("chapters/activations", "examples", "| SiLU (swish) | `x · sigmoid(x)` | about `[{silu_min:.2f}, ∞)` |",
          "| SiLU（swish） | `x · sigmoid(x)` | 约 `[{silu_min:.2f}, ∞)` |"),
    Claim("chapters/activations", "autograd-graph",
          r"\(\partial y / \partial a = b = {a_grad}\)"),
    Claim("chapters/activations", "autograd-graph",
          r"\(\partial y / \partial b = a = {b_grad}\)"),
    # conv-layers: the sliding figure, the original article's kernel, the chapter's Net
    Claim("chapters/conv-layers", "conv-sliding", "the first {highlighted:w} outputs of a row",
          "一行中前{highlighted:w}个输出"),
    Claim("chapters/conv-layers", "conv-sliding", "on a {input:X} input, with the padding",
          "在 {input:X} 输入上"),
    Claim("chapters/conv-layers", "conv-sliding",
          "A stride of {stride[1]} moves the kernel {stride[1]:w} cells at a time, so the output shrinks to "
          "{outputs[1]:X}; a dilation of {dilation[2]}",
          "步幅为 {stride[1]} 时，卷积核每次移动{stride[1]:w}格，输出缩小到 {outputs[1]:X}；空洞率为 {dilation[2]} 时"),
    Claim("chapters/conv-layers", "conv-sliding",
          "so a {window[2]:X} kernel covers {spans[2]:X} and needs padding {padding[2]} to keep the size",
          "{window[2]:X} 的卷积核于是覆盖 {spans[2]:X} 的范围，需要填充 {padding[2]} 才能保持尺寸不变"),
    Claim("chapters/conv-layers", "examples",
          "A {seed_kernel:X} kernel with padding {seed_padding} on a {image:X} image",
          "在 {image:X} 的图像上用 {seed_kernel:X} 的卷积核、填充 {seed_padding}"),
    Claim("chapters/conv-layers", "examples",
          "the output grows to {seed_conv1_out:X}, and the layer holds {seed_conv1_weight:dot} = "
          "{seed_conv1_weights:,} weights where a {fixed_kernel:X} kernel needs {fixed_conv1_weights}. Its second "
          "layer, with {seed_conv2_in} input channels, holds over {seed_conv2_params:mil}.",
          "输出反而长到 {seed_conv1_out:X}，而且这一层有 {seed_conv1_weight:dot} = {seed_conv1_weights:,} 个权重，"
          "换成 {fixed_kernel:X} 卷积核只需 {fixed_conv1_weights} 个。它的第二层有 {seed_conv2_in} 个输入通道，"
          "权重超过 {seed_conv2_params:mil}个。"),
    *[Claim("chapters/conv-layers", "net-shapes+examples", f"| {layer} | `{{shapes[{step}]:N}}` |")
      for layer, step in (("Conv2d({conv1[0]}, {conv1[1]}, {conv1[2]}, padding={conv1[3]}) + ReLU", 1),
                          ("MaxPool2d({pool[0]})", 2),
                          ("Conv2d({conv2[0]}, {conv2[1]}, {conv2[2]}, padding={conv2[3]}) + ReLU", 4),
                          ("MaxPool2d({pool[0]})", 5), ("flatten({flatten_args[0]})", 7))],
    Claim("chapters/conv-layers", "net-shapes", "| input | `{shapes[0]:N}` |", "| 输入 | `{shapes[0]:N}` |"),
    # linear-layers: the article's Sequential, flattening, fc1's parameters
    Claim("chapters/linear-layers", "examples",
          "{sequential_rows} = {sequential_map[0]}·{sequential_map[1]}·{sequential_map[2]} rows of "
          "{sequential_map[3]} values each.",
          "{sequential_rows} = {sequential_map[0]}·{sequential_map[1]}·{sequential_map[2]} 行，"
          "每行 {sequential_map[3]} 个值。"),
    *[Claim("chapters/linear-layers", "examples", f"| {en} | `(N, {{features}})` |", f"| {zh} | `(N, {{features}})` |")
      for en, zh in (("`x.flatten(1)`", "`x.flatten(1)`"),
                     ("`nn.Flatten()` (as a layer)", "`nn.Flatten()`（作为一层）"),
                     ("`x.view(x.size(0), -1)`", "`x.view(x.size(0), -1)`"),
                     ("`x.view(-1, 64*7*7)`", "`x.view(-1, 64*7*7)`"))],
    Claim("chapters/linear-layers", "examples",
          "error unless `N` is a multiple of {view_period}; `{view_shapes[0]}` for `N = {view_batches[0]}`, "
          "`{view_shapes[1]}` for `N = {view_batches[1]}`",
          "除非 `N` 是 {view_period} 的倍数，否则报错；`N = {view_batches[0]}` 时得到 `{view_shapes[0]}`，"
          "`N = {view_batches[1]}` 时得到 `{view_shapes[1]}`"),
    Claim("chapters/linear-layers", "examples", "the {fc1_params:,} of the chapter's `fc`",
          "`fc` 的 {fc1_params:,} 个参数"),
    # models: the annotation, the Mermaid diagram, the two traced figures, fc1's parameters
    Claim("chapters/models", "net-shapes",
          "`{shapes[6][1]} * {shapes[6][2]} * {shapes[6][3]} = {shapes[7][1]}`: {shapes[6][1]} channels of "
          "{shapes[6][2]}x{shapes[6][3]} after {poolings:w} poolings of a {shapes[0][2]}x{shapes[0][3]} input",
          "`{shapes[6][1]} * {shapes[6][2]} * {shapes[6][3]} = {shapes[7][1]}`：{shapes[0][2]}x{shapes[0][3]} "
          "的输入经过{poolings:w}次[池化](../glossary.md#g-pooling)后，得到 {shapes[6][1]} 个 "
          "{shapes[6][2]}x{shapes[6][3]} 的[通道]"),
    Claim("chapters/models", "net-shapes", 'in(["input<br/>{shapes[0]:Nx}"])', 'in(["输入<br/>{shapes[0]:Nx}"])'),
    *[Claim("chapters/models", "net-shapes", text) for text in (
        'c1 -- "{shapes[1]:Nx}" --> p1', 'p1 -- "{shapes[2]:Nx}" --> c2',
        'c2 -- "{shapes[4]:Nx}" --> p2', 'fl["flatten({flatten_args[0]})"] -- "{shapes[7]:Nx}" --> f1',
        'f1 -- "{shapes[8]:Nx}" --> f2', 'out(["logits<br/>{shapes[10]:Nx}"])',
        'features -- "{shapes[6]:Nx}" --> classifier')],
    *[Claim("chapters/models", "examples", f'c{n}["conv{n} {{fixed_kernel:x}}, pad {{fixed_padding}} + ReLU"]',
            f'c{n}["conv{n} {{fixed_kernel:x}}，填充 {{fixed_padding}} + ReLU"]') for n in (1, 2)],
    *[Claim("chapters/models", "examples", f'p{n}["max-pool {{pool:x}}"]', f'p{n}["最大池化 {{pool:x}}"]')
      for n in (1, 2)],
    Claim("chapters/models", "net-shapes", "reference solution on a batch of {batch}, one bar per operation",
          "`torch.fx` 在 {batch} 个样本的批量上追踪"),
    Claim("chapters/models", "net-shapes", "The {poolings:w} poolings do all the shrinking",
          "尺寸全靠{poolings:w}次池化缩小"),
    Claim("chapters/models", "examples",
          "each sample carries {feature_map[0]}·{feature_map[1]}·{feature_map[2]} = {features:,} features. It raises "
          "an error whenever N·{features:,} is not a multiple of {view_columns:,}, and at every batch size that is a "
          "multiple of {view_period} ({view_batches[0]}, {view_batches[1]}, ...)",
          "每个样本实际只有 {feature_map[0]}·{feature_map[1]}·{feature_map[2]} = {features:,} 个特征。只要 "
          "N·{features:,} 不是 {view_columns:,} 的倍数，它就会报错；而当批量大小是 {view_period} 的倍数"
          "（{view_batches[0]}、{view_batches[1]}……）"),
    Claim("chapters/models", "examples", "(a batch of {view_batches[0]}\ngives a `{view_shapes[0]}` tensor)",
          "（批量为 {view_batches[0]} 时得到一个 `{view_shapes[0]}` 的张量）"),
    Claim("chapters/models", "broken-vs-fixed", "traced the same way on a batch of {batch} images",
          "用同样的方法在 {batch} 张图像的批量上追踪"),
    Claim("chapters/models", "examples", "the {seed_kernel:X} kernels make the feature maps",
          "{seed_kernel:X} 的卷积核让特征图变成"),
    Claim("chapters/models", "broken-vs-fixed",
          "make the feature maps {seed_marked[0][2]}x{seed_marked[0][3]} and {seed_marked[1][2]}x{seed_marked[1][3]} "
          "instead of {fixed_marked[0][2]}x{fixed_marked[0][3]} and {fixed_marked[1][2]}x{fixed_marked[1][3]}, and "
          "`view({view_args[0]}, {view_args[1]})` then turns {batch} samples into {seed_marked[2][0]} rows",
          "让特征图变成 {seed_marked[0][2]}x{seed_marked[0][3]} 和 {seed_marked[1][2]}x{seed_marked[1][3]}，而不是 "
          "{fixed_marked[0][2]}x{fixed_marked[0][3]} 和 {fixed_marked[1][2]}x{fixed_marked[1][3]}；随后 "
          "`view({view_args[0]}, {view_args[1]})` 把 {batch} 个样本变成 {seed_marked[2][0]} 行"),
    Claim("chapters/models", "broken-vs-fixed", "The corrected `Net`\nkeeps {fixed_marked[5][0]} rows to the end.",
          "修正后的 `Net` 则自始至终保持 {fixed_marked[5][0]} 行。"),
    Claim("chapters/models", "examples", "`fc1` holds {fc1_params:,} of those", "其中 `fc1` 就占了 {fc1_params:,} 个"),
    # errata: the original article's Net, computed
    Claim("errata", "examples", "`({image[0]} + 2·{seed_padding} - {seed_kernel[0]}) / 1 + 1 = {seed_conv1_out[0]}`"),
    Claim("errata", "examples", "*grows* the image to {seed_conv1_out:X} instead of keeping {image:X}",
          "这一层非但没有保持 {image:X}，反而把图像*放大*成了 {seed_conv1_out:X}"),
    Claim("errata", "examples", "the second layer alone holds\nover {seed_conv2_millions:w} million weights.",
          "单是第二层就有{seed_conv2_millions:w}百多万个"),
    Claim("errata", "examples", "`kernel_size={fixed_kernel[0]}, padding={fixed_padding}` keeps {image:X} and needs "
          "{fixed_conv2_params:,}\nparameters for the second layer",
          "`kernel_size={fixed_kernel[0]}, padding={fixed_padding}` 能保持 {image:X}，第二层也只需要 "
          "{fixed_conv2_params:,} 个"),
    Claim("errata", "examples",
          "{feature_map:X} = {features:,} features, not {view_columns:,} ({seed_sides[0]} pools to {seed_sides[1]}, "
          "{seed_sides[1]} convolves to {seed_sides[2]}, {seed_sides[2]} pools to {seed_sides[3]}).",
          "{feature_map:X} = {features:,} 个特征，而不是 {view_columns:,} 个（{seed_sides[0]} 池化成 {seed_sides[1]}，"
          "{seed_sides[1]} 卷积成 {seed_sides[2]}，{seed_sides[2]} 再池化成 {seed_sides[3]}）"),
    Claim("errata", "examples", "holds N·{features:,} numbers, and `view(-1, {view_columns})` needs a multiple of\n"
          "{view_columns:,}. Since {features:,} = {view_factors[0]}·{view_factors[2]} and {view_columns:,} = "
          "{view_factors[1]}·{view_factors[2]}, that happens exactly when N is a multiple\nof {view_period}.",
          "共有 N·{features:,} 个数，而 `view(-1, {view_columns})` 要求总数是 {view_columns:,} 的倍数。因为 "
          "{features:,} = {view_factors[0]}·{view_factors[2]}、{view_columns:,} = {view_factors[1]}·"
          "{view_factors[2]}，这个条件恰好等价于 N 是 {view_period} 的倍数"),
    Claim("errata", "examples", "multiple of {view_period}: {view_batches[0]}, {view_batches[1]},\n{view_batches[2]}, "
          "and so on. Then it re-cuts the batch into {view_shapes[0][0]} rows per {view_batches[0]} samples",
          "（{view_batches[0]}、{view_batches[1]}、{view_batches[2]}……）时，它都能“正常运行”：每 {view_batches[0]} "
          "个样本被重新切成 {view_shapes[0][0]} 行"),
    Claim("errata", "examples", "it returns {view_shapes[0][0]} predictions for {view_batches[0]} images",
          "给 {view_batches[0]} 张图像返回了 {view_shapes[0][0]} 个预测"),
    Claim("errata", "examples", "(so the feature maps stay {sequential_map[2]}x{sequential_map[3]} instead of "
          "{feature_map[1]}x{feature_map[2]})",
          "（于是特征图停留在 {sequential_map[2]}x{sequential_map[3]}，而不是 {feature_map[1]}x{feature_map[2]}）"),
    Claim("errata", "examples", "the two convolutions produce `{sequential_map}`, and the\nlinear layer sees "
          "{sequential_map[0]}·{sequential_map[1]}·{sequential_map[2]} = {sequential_rows:,} rows of "
          "{sequential_map[3]} values.",
          "两个卷积层输出 `{sequential_map}`，全连接层把它看成 {sequential_map[0]}·{sequential_map[1]}·"
          "{sequential_map[2]} = {sequential_rows:,} 行、每行 {sequential_map[3]} 个值"),
    # training: the digits, the loader's batches, the loop's steps, the loss curve's network
    Claim("chapters/training", "examples", "({digits:,} real handwritten digits of {digit_side}x{digit_side} pixels)",
          "（{digits:,} 张真实的 {digit_side}x{digit_side} 像素手写数字）"),
    Claim("chapters/training", "examples", "random_split(full, [{train_size}, {test_size}], generator=generator)"),
    Claim("chapters/training", "examples",
          "train_loader = DataLoader(train_set, batch_size={loader_batch}, shuffle=True, generator=generator)"),
    Claim("chapters/training", "examples", "# batches: {full_batches} full ones and a last one of {last_batch}",
          "# 批量数：{full_batches} 个满批量，外加最后一个 {last_batch} 个样本的批量"),
    Claim("chapters/training", "examples", "After {epochs:w} short epochs", "只训练短短{epochs:w}轮"),
    Claim("chapters/training", "examples", ">>> for epoch in range({epochs}):"),
    Claim("chapters/training", "training-loop", "has the same {steps:w} steps per batch", "都执行同样的{steps:w}步"),
    Claim("chapters/training", "training-loop", "The {steps:w} steps form a cycle", "这{steps:w}步构成一个循环"),
    Claim("chapters/training", "training-loop", "comes from the same {steps:w} steps", "来自同样的{steps:w}步"),
    Claim("chapters/training", "loss-curve", "a small network ({widths[0]} → {widths[1]} → {widths[2]})",
          "一个小网络（{widths[0]} → {widths[1]} → {widths[2]}）"),
    Claim("chapters/training", "loss-curve", "it starts near ln {classes}, the loss of a blind guess between\n"
          "{classes:w} classes", "损失从 ln {classes} 附近开始（这是在{classes:w}个类别之间随机猜测时的损失）"),
    # custom-loss: the label-smoothing figure
    Claim("chapters/custom-loss", "softmax-label-smoothing", "one sample with {classes:w} classes and target class "
          "{target}:", "一个有{classes:w}个类别、目标类别为 {target} 的样本"),
    # multi-gpu: the sampler figure, the all-reduce figure, the padding example
    Claim("chapters/multi-gpu", "sampler-shards",
          "(`num_replicas={world_size}`, `shuffle=True`) over a dataset of {dataset_size} samples: each rank gets "
          "{per_rank} indices, which its `DataLoader` groups into batches of {batch_size}. {world_size:W} ranks need "
          "{total} indices",
          "（`num_replicas={world_size}`，`shuffle=True`）在一个有 {dataset_size} 个样本的数据集上算出：每个 rank "
          "分到 {per_rank} 个索引，再由各自的 `DataLoader` 每 {batch_size} 个组成一个批量。{world_size:w}个 rank "
          "共需要 {total} 个索引"),
    Claim("chapters/multi-gpu", "ddp-allreduce", "on {world_size:w} halves\nof one batch of {batch}.",
          "在同一批 {batch} 个样本的{world_size:w}半上"),
    Claim("chapters/multi-gpu", "examples",
          "DistributedSampler(range({pad_dataset}), num_replicas={pad_world}, rank=r, shuffle=False)) "
          "for r in range({pad_world})]"),
    Claim("chapters/multi-gpu", "examples", "it counts sample {pad_repeated} twice",
          "样本 {pad_repeated} 却被算了两次"),
    # tensors: the broadcasting figure
    Claim("chapters/tensors", "broadcasting", "a `{a_shape}` column meets a `{b_shape}` row",
          "一个 `{a_shape}` 的列与一个 `{b_shape}` 的行相加"),
    Claim("chapters/tensors", "broadcasting", "the sum has shape\n`{sum_shape}`.", "和的形状是 `{sum_shape}`"),
]


# -- the examples' numbers --------------------------------------------------------------------
@cache
def course_figures():
    sys.path.insert(0, str(paths.KIT_ROOT / "site_hooks"))
    try:
        import course_figures

        return course_figures
    finally:
        sys.path.remove(str(paths.KIT_ROOT / "site_hooks"))


@cache
def all_facts() -> dict[str, dict]:
    return {**course_figures().facts(), "examples": examples()}


def facts_of(source: str) -> dict:
    """The facts a claim draws on: one figure's, ``examples``, or several joined by ``+``."""
    merged: dict = {}
    for name in source.split("+"):
        facts = all_facts()[name]
        assert not merged.keys() & facts.keys(), f"{source}: {sorted(merged.keys() & facts.keys())} in both"
        merged.update(facts)
    return merged


def examples() -> dict:
    """Numbers the chapters' prose gives for their examples, computed here from the same code.

    The two ``Net`` classes are the kit's files that the figures trace (the chapter's ``Net``
    is exercise 04's solution, the original article's its starter), built on the ``meta``
    device: shapes and sizes, no arithmetic. Inputs that the pages' code spells out
    (``[1500, 297]``, ``batch_size=64``, ``range(5)``) are claims of their own in ``CLAIMS``.
    """
    import torch
    import torch.nn.functional as F
    from sklearn.datasets import load_digits
    from torch.utils.data import DistributedSampler

    figures = course_figures()
    from course_figures import models

    fixed_steps = models.traced_shapes(figures.FIXED_NET)
    image = fixed_steps[0][1][-1]
    with torch.device("meta"):
        seed, fixed = models.load_net(figures.SEED_NET)(), models.load_net(figures.FIXED_NET)()
        batch = torch.empty(1, 1, image, image)
        seed_conv1_out = tuple(seed.conv1(batch).shape[-2:])
        sequential_map = tuple(seed.conv2(seed.conv1(batch)).shape)  # the article's Sequential: no pooling
        features, view_columns = fixed.fc1.in_features, seed.fc1.in_features
        common = math.gcd(features, view_columns)  # 3,136 = 49·64 and 4,096 = 64·64
        period = view_columns // common  # view(-1, 4096) accepts exactly the batch sizes that are multiples of this
        view_batches = [period, 2 * period, 3 * period]
        view_shapes = [tuple(torch.empty(n, features).view(-1, view_columns).shape) for n in view_batches]
    seed_steps = models.traced_shapes(figures.SEED_NET)
    seed_sides = [shape[-1] for op, shape in seed_steps[1:6] if "relu" not in op]  # conv1, pool, conv2, pool
    feature_map = fixed_steps[6][1][1:]  # what reaches flatten(1)
    assert math.prod(feature_map) == features
    pad_dataset, pad_world = 5, 2
    shards = [list(DistributedSampler(range(pad_dataset), num_replicas=pad_world, rank=r, shuffle=False))
              for r in range(pad_world)]
    handed_out = [i for shard in shards for i in shard]
    digits = load_digits()
    train_size, loader_batch = 1500, 64
    pool = models.call_args(fixed_steps, "max_pool2d")[0]
    return {
        "silu_min": F.silu(torch.linspace(-4, 4, 8001)).min().item(),
        "image": (image, image),
        "seed_kernel": seed.conv1.kernel_size, "seed_padding": seed.conv1.padding[0], "seed_conv1_out": seed_conv1_out,
        "seed_conv1_weight": tuple(seed.conv1.weight.shape), "seed_conv1_weights": seed.conv1.weight.numel(),
        "seed_conv2_in": seed.conv2.in_channels, "seed_conv2_params": sum(p.numel() for p in seed.conv2.parameters()),
        "seed_conv2_millions": sum(p.numel() for p in seed.conv2.parameters()) // 10**6, "seed_sides": seed_sides,
        "fixed_conv2_params": sum(p.numel() for p in fixed.conv2.parameters()),
        "fixed_kernel": fixed.conv1.kernel_size, "fixed_padding": fixed.conv1.padding[0],
        "fixed_conv1_weights": fixed.conv1.weight.numel(), "pool": (pool, pool),
        **{name: (conv.in_channels, conv.out_channels, conv.kernel_size[0], conv.padding[0])
           for name, conv in (("conv1", fixed.conv1), ("conv2", fixed.conv2))},
        "sequential_map": sequential_map, "sequential_rows": math.prod(sequential_map[:3]),
        "feature_map": feature_map, "features": features, "view_columns": view_columns, "view_period": period,
        "view_factors": [features // common, view_columns // common, common],
        "view_batches": view_batches, "view_shapes": view_shapes,
        "fc1_params": sum(p.numel() for p in fixed.fc1.parameters()),
        "pad_dataset": pad_dataset, "pad_world": pad_world,
        "pad_repeated": next(i for i in handed_out if handed_out.count(i) > 1),
        "digits": len(digits.target), "digit_side": digits.images.shape[-1],
        "train_size": train_size, "test_size": len(digits.target) - train_size, "loader_batch": loader_batch,
        "full_batches": train_size // loader_batch, "last_batch": train_size % loader_batch,
        "epochs": 5,
    }


# -- the tests ---------------------------------------------------------------------------------
PAGES = sorted(p.relative_to(paths.DOCS_DIR).as_posix() for p in paths.DOCS_DIR.rglob("*.md")
               if p.relative_to(paths.DOCS_DIR).parts[0] != "figures")


def language(page: str) -> str:
    return "zh" if page.endswith(editions.ZH_SUFFIX) else "en"


def read(page: str) -> str:
    return (paths.DOCS_DIR / page).read_text(encoding="utf-8")


def shown_figures() -> list[tuple[str, editions.Figure]]:
    return [(page, figure) for page in PAGES for figure in editions.figures(read(page))]


def alt_problems(page: str, figure: editions.Figure, alt: str | None = None) -> list[str]:
    if figure.name not in ALT_TEXT:
        return [f"docs/{page}: figure {figure.name} has no entry in ALT_TEXT ({__file__})"]
    lang, text = language(page), figure.alt if alt is None else alt
    expected = expected_alt_numbers(figure.name, lang, all_facts())
    return docs_numbers.sequence_problems(f"docs/{page}: the alt text of {figure.name}", text, lang, expected)


PAGES_WITH_FIGURES = sorted({page for page, _ in shown_figures()})


@pytest.mark.parametrize("page", PAGES_WITH_FIGURES)
def test_every_number_in_an_alt_text_is_the_one_its_figure_computes(page):
    problems = [p for shown, figure in shown_figures() if shown == page for p in alt_problems(page, figure)]
    assert problems == [], "\n".join(problems)


def test_every_figure_has_its_alt_text_numbers_listed():
    assert sorted(ALT_TEXT) == sorted(course_figures().registry())
    assert {figure.name for _, figure in shown_figures()} == set(ALT_TEXT), "a listed figure is on no page"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: f"{c.page}:{c.en[:40]}")
def test_the_prose_states_the_numbers_the_code_computes(claim, lang):
    page = claim.page + (".md" if lang == "en" else editions.ZH_SUFFIX)
    assert claim.fields(), "a claim with no placeholder checks nothing"
    problems = docs_numbers.claim_problems(claim, lang, read(page), facts_of(claim.source))
    assert problems == [], "\n".join(problems)


OUTPUT_SIZE_ROW = re.compile(r"^\| `(?P<code>kernel_size=[^`]*|max_pool2d\(·, 2\))`(?P<note>[^|]*)\| "
                             r"(?P<formula>[^|]+?) \| \**(?P<result>\d+)\**", re.MULTILINE)


@pytest.mark.parametrize("page", ["chapters/conv-layers.md", "chapters/conv-layers.zh.md"])
def test_the_output_size_table_is_what_the_layers_compute(page):
    """Each row: the formula, filled in, gives the result, and so does the real layer on that input."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    rows = OUTPUT_SIZE_ROW.findall(read(page))
    assert len(rows) == 6, rows
    image = all_facts()["examples"]["image"][0]
    for code, note, formula, result in rows:
        size = int(re.search(r"\d+", formula).group())
        assert size == int(re.search(r"\d+", note).group()) if re.search(r"\d", note) else size == image, formula
        x = torch.empty(1, 1, size, size, device="meta")
        layer = (lambda t: F.max_pool2d(t, 2)) if code.startswith("max_pool2d") else \
            nn.Conv2d(1, 1, device="meta", **eval(f"dict({code})"))  # noqa: S307
        computed = layer(x).shape[-1]
        assert int(result) == computed == eval(formula, {"floor": math.floor}), (page, code, formula)  # noqa: S307


def mutated(text: str) -> str:
    """``text`` (one number as a page writes it) with one digit or word changed."""
    words = {**{w: n for n, w in docs_numbers.NUMBER_WORDS["en"].items()}, "twice": 2}
    if text.lower() in words:
        return docs_numbers.NUMBER_WORDS["en"][words[text.lower()] % 12 + 1] if words[text.lower()] < 12 else "ten"
    if text in docs_numbers.ZH_DIGITS or "十" in text:
        return "七" if text != "七" else "八"
    last = max(i for i, c in enumerate(text) if c.isdigit())
    return text[:last] + str((int(text[last]) + 1) % 10) + text[last + 1:]


def test_a_number_changed_by_hand_in_any_alt_text_fails():
    """Every number the alt texts state, changed on its own, makes the check fail: none is unchecked."""
    checked = 0
    for page, figure in shown_figures():
        lang = language(page)
        for number in docs_numbers.numbers(figure.alt, lang):
            at = number.start
            assert figure.alt[at:at + len(number.text)] == number.text
            alt = figure.alt[:at] + mutated(number.text) + figure.alt[at + len(number.text):]
            assert alt_problems(page, figure, alt), f"docs/{page}: {figure.name} with {number.text!r} changed passes"
            checked += 1
    assert checked > 250


# -- the mechanism ------------------------------------------------------------------------------
def test_numbers_reads_shapes_tuples_words_and_skips_names():
    text = ("Three bars: conv1 gives 64×64×28×28, a 4 by 4 grid and a 5x5 one; nn.MaxPool2d(2), "
            "view(-1, 4096); one-hot (1, 0, 0, 0), kernel [[1, 2], [3, 4]], AddBackward0, a.grad = 1.649, twice")
    assert [(n.text, n.value) for n in docs_numbers.numbers(text)] == [
        ("Three", 3.0), ("64×64×28×28", (64.0, 64.0, 28.0, 28.0)), ("4 by 4", (4.0, 4.0)), ("5x5", (5.0, 5.0)),
        ("2", 2.0), ("-1", -1.0), ("4096", 4096.0), ("(1, 0, 0, 0)", (1.0, 0.0, 0.0, 0.0)),
        ("[[1, 2], [3, 4]]", ((1.0, 2.0), (3.0, 4.0))), ("1.649", 1.649), ("twice", 2.0)]
    assert [n.text for n in docs_numbers.numbers("一个有 4 个类别的三幅图，用了两次，共十一个", "zh")] == \
           ["4", "三", "两", "十一"]
    assert docs_numbers.numbers("三 and 1,797", "en")[0].value == 1797


def test_a_decimal_matches_the_fact_at_the_precision_written():
    number = docs_numbers.numbers
    assert docs_numbers.matches(number("0.597")[0], 0.596813)
    assert not docs_numbers.matches(number("0.557")[0], 0.596813)
    assert docs_numbers.matches(number("about 0.7")[0], 0.739)
    assert not docs_numbers.matches(number("0.8")[0], 0.739)
    assert not docs_numbers.matches(number("3.0")[0], 3)  # an integer fact is written as an integer
    assert docs_numbers.matches(number("(0.925, 0.025)")[0], (0.92499995, 0.025000001))
    assert not docs_numbers.matches(number("64×10")[0], (49, 10))


def test_a_swapped_dropped_or_added_number_fails():
    expected = [0.449, 0.597]
    assert docs_numbers.sequence_problems("x", "0.449 then 0.597", "en", expected) == []
    assert docs_numbers.sequence_problems("x", "0.597 then 0.449", "en", expected)
    assert docs_numbers.sequence_problems("x", "0.449 only", "en", expected)
    assert docs_numbers.sequence_problems("x", "0.449, 0.597 and 3", "en", expected)


def test_the_formatter_writes_numbers_as_each_edition_does():
    def fill(lang, text, **facts):
        return docs_numbers.PageFormatter(lang).format(text, **facts)

    assert fill("en", "{n:W} ranks, {n:w} halves", n=2) == "Two ranks, two halves"
    assert fill("zh", "{n:w}个 rank", n=2) == "两个 rank"
    assert fill("en", "{s:x} {s:X} {s:N} {s:Nx} {s:dot}", s=(64, 64, 7, 7)) == \
        "64×64×7×7 64x64x7x7 (N, 64, 7, 7) N×64×7×7 64·64·7·7"
    assert fill("en", "{p:mil}", p=4194368) == "4 million"
    assert fill("zh", "{p:mil}", p=4194368) == "400 万"
    assert fill("en", "{v} {t} {n:,} {x:.3f}", v=3.0, t=(49, 4096), n=1606144, x=0.5968) == \
        "3 (49, 4096) 1,606,144 0.597"


def covered() -> list[tuple[str, str, str]]:
    """``(page, number as written, where it comes from)`` for every number these tests check."""
    rows = []
    for page, figure in shown_figures():
        lang = language(page)
        for number, (name, fact) in zip(docs_numbers.numbers(figure.alt, lang),
                                        alt_items(figure.name, lang, all_facts())):
            rows.append((page, number.text,
                         f"alt text: course_figures.facts()[{figure.name!r}].{name} = {docs_numbers.show(fact)}"))
    for page in ("chapters/conv-layers.md", "chapters/conv-layers.zh.md"):
        for code, _, formula, result in OUTPUT_SIZE_ROW.findall(read(page)):
            layer = "F.max_pool2d(x, 2)" if code.startswith("max_pool2d") else f"nn.Conv2d(1, 1, {code})"
            rows.append((page, f"{formula} = {result}", f"output-size table: {layer} on the formula's input"))
    for claim in CLAIMS:
        for lang in ("en", "zh"):
            page = claim.page + (".md" if lang == "en" else editions.ZH_SUFFIX)
            source = " + ".join("examples()" if name == "examples" else f"course_figures.facts()[{name!r}]"
                                for name in claim.source.split("+"))
            text = docs_numbers.normalised(claim.text(lang, facts_of(claim.source)))
            rows.append((page, text, f"{source}: {', '.join(claim.fields())}"))
    return rows


if __name__ == "__main__":  # the list of covered numbers, for a report
    for page, number, source in covered():
        print(f"docs/{page}\t{number}\t{source}")
