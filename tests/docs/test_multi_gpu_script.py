"""The multi-GPU chapter's train_ddp.py runs under torchrun and prints what the page shows.

The script is read from the page itself (the block titled ``train_ddp.py``) and run with two
gloo processes on CPU, the launch the page suggests for a machine without GPUs. Its output
must show a falling loss and match the page's output block (titled ``torchrun ...``) to
within rounding: the page is not allowed to show a loss the script does not produce.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from devtools import editions
from grader import paths

PAGE = paths.DOCS_DIR / "chapters" / "multi-gpu.md"
ZH_PAGE = paths.DOCS_DIR / "chapters" / "multi-gpu.zh.md"
LOSS_LINE = re.compile(r"^epoch (\d+): mean loss (\d+\.\d+)$", re.MULTILINE)
ZH_LOSS_LINE = re.compile(r"^轮次 (\d+)：平均损失 (\d+\.\d+)$", re.MULTILINE)  # the Chinese page's print label


def _block(title_start: str, page=PAGE) -> str:
    markdown = page.read_text(encoding="utf-8")
    lines = markdown.splitlines()
    for block in editions.code_blocks(markdown):
        info = lines[block.line - 1].strip().lstrip("`")
        if f'title="{title_start}' in info:
            return block.text
    raise AssertionError(f"no block titled {title_start!r} on {page.name}")


def _losses(text: str) -> list[float]:
    return [float(loss) for _, loss in LOSS_LINE.findall(text)]


@pytest.fixture(scope="module")
def run_output(tmp_path_factory) -> str:
    workdir = tmp_path_factory.mktemp("ddp")
    (workdir / "train_ddp.py").write_text(_block("train_ddp.py") + "\n", encoding="utf-8")
    # gloo on the loopback interface only (as grader/checks/exercise_09.py does): the
    # machine's other interfaces, and other jobs on them, are none of this test's business
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", OMP_NUM_THREADS="1")
    if sys.platform.startswith("linux"):
        env["GLOO_SOCKET_IFNAME"] = "lo"
    result = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node=2", "--rdzv-backend=c10d",
         "--rdzv-endpoint=127.0.0.1:0", "train_ddp.py"],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-6000:]
    assert (workdir / "ddp_model.pt").is_file()
    return result.stdout


def test_the_loss_falls(run_output):
    losses = _losses(run_output)
    assert len(losses) >= 3, run_output
    assert all(later < earlier for earlier, later in zip(losses, losses[1:])), losses
    assert losses[-1] < 0.5 * losses[0], losses


def test_the_page_shows_what_the_script_prints(run_output):
    shown = _losses(_block("torchrun --nproc-per-node=2 train_ddp.py"))
    printed = _losses(run_output)
    assert len(shown) == len(printed), (shown, printed)
    assert printed == pytest.approx(shown, abs=0.015), (shown, printed)


def test_the_chinese_page_shows_the_same_losses(run_output):
    """The Chinese script prints a Chinese label (test_editions.py pairs it with the English one)."""
    block = _block("torchrun --nproc-per-node=2 train_ddp.py", ZH_PAGE)
    shown = [float(loss) for _, loss in ZH_LOSS_LINE.findall(block)]
    assert shown == pytest.approx(_losses(run_output), abs=0.015), shown
