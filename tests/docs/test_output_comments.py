"""No page claims an output in a comment that nothing checks (grader/outputs.py)."""

from __future__ import annotations

import textwrap

import pytest

from devtools import outputs
from grader import paths

PAGES = sorted(p.relative_to(paths.DOCS_DIR).as_posix() for p in paths.DOCS_DIR.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES)
def test_every_shown_output_is_verified(page):
    """Both editions: what code prints is in a pycon session that Sybil runs, not in a comment."""
    assert outputs.unverified_outputs((paths.DOCS_DIR / page).read_text(encoding="utf-8")) == []


def found(markdown: str) -> list[str]:
    return outputs.unverified_outputs(textwrap.dedent(markdown))


@pytest.mark.parametrize("line", [
    "print(x.shape)   # torch.Size([8, 3])",
    "print(loss)      # tensor(9., grad_fn=<PowBackward0>)",
    "print(ok)        # True: the same function",
    "print(n, c)      # 8 3",
    "print(sorted(d)) # ['a', 'b']",
    "print(F.relu(v)) # same, from torch.nn.functional",
    "print(total)     # 结果相同",
    "y = model(x)     # -> (8, 10)",
    "y = model(x)     # output: a (8, 10) tensor",
    "y = model(x)     # 输出：(8, 10)",
    "w = layer.weight # torch.Size([4, 3])",
])
def test_output_comments_are_caught(line):
    assert len(found(f"```python\n{line}\n```\n")) == 1


@pytest.mark.parametrize("line", [
    "x = F.max_pool2d(x, 2)   # (N, 64, 14, 14)",
    "nn.Conv2d(1, 32, 3)      # 8x8 -> 4x4",
    "optimizer.zero_grad()    # 1. forget the previous batch's gradients",
    "W = a @ b                # (3, 16) @ (16, 4) -> (3, 4)",
    "print(net)               # the registered layers, in order",
    "print(torch.cuda.is_available())   # with an NVIDIA GPU and its driver: True",
    "# 3 rows of 4, a comment on its own line",
    "s = '# torch.Size([1])'  # a string, not a comment",
])
def test_explanatory_comments_pass(line):
    assert found(f"```python\n{line}\n```\n") == []


def test_a_print_spanning_lines_is_still_a_print():
    assert len(found('''
        ```python
        print(
            x.shape,
        )   # 8 3
        ```
    ''')) == 1


def test_pycon_sessions_and_other_languages_are_not_comments():
    assert found('''
        ```pycon
        >>> print(x.shape)   # the batch survives
        torch.Size([8, 3])
        ```

        ```bash
        grader list   # -> the table of exercises
        ```
    ''') == []


def test_a_skipped_pycon_session_shows_unchecked_output():
    assert len(found('''
        <!-- skip: next "needs a GPU" -->
        ```pycon
        >>> torch.cuda.device_count()
        2
        ```
    ''')) == 1


def test_blocks_in_admonitions_are_scanned():
    assert len(found('''
        !!! tip "Check it"
            ```python
            print(ok)   # True
            ```
    ''')) == 1
