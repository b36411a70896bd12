"""``%load_ext grader`` in a real notebook (nbclient + ipykernel), through a grader server of the test's own."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from grader import paths

pytestmark = pytest.mark.slow

STUB = (paths.EXERCISES_DIR / "exercise-04" / "net.py").read_text()
REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()


def outputs(cell, kind: str) -> str:
    """Everything a cell showed as ``kind`` ("text/html", "text/plain") or on "stderr"."""
    if kind == "stderr":
        return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
    return "".join(o.data.get(kind, "") for o in cell.outputs if o.output_type == "display_data")


def test_magics_check_the_workspace_and_a_cell_through_the_server(server_box, make_workspace, stub_workspace,
                                                                   tmp_path, monkeypatch):
    stub = stub_workspace("exercise-04")  # make_workspace and stub_workspace share one folder: stub first
    stub_copy = tmp_path / "stub"
    (stub_copy / "exercise-04").mkdir(parents=True)
    (stub_copy / "exercise-04" / "net.py").write_text(STUB)
    reference = make_workspace("exercise-04")
    assert reference == stub
    for key, value in {**server_box.env, "GRADER_LANG": "en", "CUDA_VISIBLE_DEVICES": ""}.items():
        monkeypatch.setenv(key, value)  # the kernel inherits them
    sources = [
        "%load_ext grader",
        f"%grader check exercise-04 --workspace {stub_copy} --seed 3",
        "from grader.server import client\nassert client.wait_until_serving() is not None",
        f"%grader check exercise-04 --workspace {reference} --seed 3",
        f"%%grader check exercise-04 --workspace {stub_copy} --seed 3\n{STUB}",
        f"%%grader check exercise-04 --workspace {stub_copy} --seed 3\n{REFERENCE}",
        f"%grader hint exercise-04 --workspace {stub_copy}",
        "%grader check exercise-99",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(paths.KIT_ROOT)}}).execute()
    cells = nb.cells
    assert all(o.output_type != "error" for c in cells for o in c.outputs)

    stub_file, reference_file, stub_cell, reference_cell, hint, unknown = (cells[i] for i in (1, 3, 4, 5, 6, 7))
    assert "none running" in outputs(stub_file, "stderr")  # the first check starts the server...
    for cell in (reference_file, stub_cell, reference_cell):
        assert outputs(cell, "stderr") == ""  # ... and the others go through it
    for cell, score in ((stub_file, "0/10"), (reference_file, "10/10"), (stub_cell, "0/10"),
                        (reference_cell, "10/10")):
        html, text = outputs(cell, "text/html"), outputs(cell, "text/plain")
        assert f"Score {score}" in html and f"Score {score}" in text
        assert ("✗" in html) == (score == "0/10") and ("✓" in html) == (score == "10/10")
    assert "output_shape_for_any_batch_size[cpu]" in outputs(stub_cell, "text/plain")
    assert "shape &#x27;[-1, 4096]&#x27; is invalid" in outputs(stub_cell, "text/html")
    assert "Hint 1/3:" in outputs(stub_file, "text/plain")  # a failed check shows the next hint
    assert "Hint 2/3:" in outputs(stub_cell, "text/plain")
    assert "Hint 3/3:" in outputs(hint, "text/plain") and "grader-hint" in outputs(hint, "text/html")
    assert "unknown exercise 'exercise-99'" in outputs(unknown, "text/plain")
    progress = json.loads((stub_copy / ".grader-progress.json").read_text())["exercises"]["exercise-04"]
    assert progress["status"] == "failed" and progress["hints_seen"] == 3  # the cell's 10/10 is not the file's
