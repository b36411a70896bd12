"""Every chapter is a notebook that runs (site_hooks/notebooks.py).

The English notebooks are executed with a real Jupyter kernel (nbclient + ipykernel); any
error fails the test. The Chinese notebooks are built from the same code, so instead of
running them a second time the test proves their code cells are the English ones, once
comments, docstrings and the text of printed or raised strings are set aside (the same rule
as grader/editions.py for the pages themselves).
"""

from __future__ import annotations

import importlib.util
import re

import nbformat
import pytest
from nbclient import NotebookClient

from devtools import editions
from grader import paths

CHAPTERS = sorted(p.name for p in (paths.DOCS_DIR / "chapters").glob("*.md")
                  if not p.name.endswith(editions.ZH_SUFFIX) and p.name != "index.md")
CELL_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("site_hook_notebooks", paths.KIT_ROOT / "site_hooks" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebook(hook, name: str, language: str = "en"):
    page = paths.DOCS_DIR / "chapters" / (name if language == "en" else editions.zh_name(name))
    return hook.chapter_notebook(page.read_text(encoding="utf-8"), language)


def code_cells(nb) -> list[str]:
    """Each code cell's code as the editions compare it; a ``%%writefile`` line kept as it is."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            magic, _, body = cell.source.partition("\n") if cell.source.startswith("%%") else ("", "", cell.source)
            cells.append(magic + "\n" + editions.normalised(body, "python").code)
    return cells


def test_there_are_thirteen_chapters():
    assert len(CHAPTERS) == 13, CHAPTERS


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_notebook_runs_without_error(hook, name, tmp_path, monkeypatch):
    """A fresh kernel runs every code cell in order, offline, in an empty working directory."""
    nb = notebook(hook, name)
    assert code_cells(nb), f"{name}: no code cell"
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))  # an empty model cache: nothing to reuse
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # like the Sybil run: the CPU path of each page
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # tiny tensors: threads only contend on a busy machine
    NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    assert errors == []


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_chinese_notebook_runs_the_same_code(hook, name):
    assert code_cells(notebook(hook, name, "zh")) == code_cells(notebook(hook, name))


@pytest.mark.parametrize("name", CHAPTERS)
def test_prose_is_markdown_and_nothing_else_runs(hook, name):
    """Only Python runs: shell commands, outputs, prompts and quizzes are never code cells."""
    nb = notebook(hook, name)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^(>>>|\.\.\.)( |$)|^%%(?!writefile )|^!", cell.source, re.MULTILINE), cell.source
        else:
            assert "<quiz>" not in cell.source


def test_pycon_sessions_become_their_input(hook):
    nb = hook.chapter_notebook('# T\n\n```pycon\n>>> x = [1,\n...      2]\n>>> print(x)\n[1, 2]\n```\n')
    assert [c.source for c in nb.cells if c.cell_type == "code"] == ["x = [1,\n     2]\nprint(x)"]


def test_a_skipped_script_is_saved_not_run(hook):
    nb = hook.chapter_notebook('# T\n\n<!-- skip: next "needs torchrun" -->\n'
                               '```python title="train.py"\nmain()\n```\n\n```bash\ntorchrun train.py\n```\n')
    assert [c.source for c in nb.cells if c.cell_type == "code"] == ["%%writefile train.py\nmain()"]


def test_code_in_an_admonition_is_a_code_cell(hook):
    nb = hook.chapter_notebook('# T\n\n!!! tip "Check"\n    Text.\n\n    ```python\n    ok = True\n    ```\n')
    assert [c.source for c in nb.cells if c.cell_type == "code"] == ["ok = True"]
    assert "**Check**" in nb.cells[0].source


@pytest.mark.parametrize("edition", ["", "en/"])
@pytest.mark.parametrize("name", CHAPTERS)
def test_each_chapter_page_links_its_notebook(built_site, name, edition):
    """The link sits on the page, in the reader's language, and the file it names is a notebook."""
    stem = name.removesuffix(".md")
    html = built_site.page(f"{edition}chapters/{stem}/")
    link = re.search(r'<a class="md-button chapter-notebook" href="(?P<href>[^"]+)" download>(?P<text>[^<]+)</a>', html)
    assert link, f"{edition}chapters/{stem}/: no notebook link"
    assert link["href"] == f"{stem}.ipynb"
    assert ("下载" in link["text"]) == (edition == "")
    nb = nbformat.read(built_site.site / edition / "chapters" / stem / link["href"], as_version=4)
    nbformat.validate(nb)
