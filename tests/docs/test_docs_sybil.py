"""docs/conftest.py's Sybil setup: what runs, what is skipped, and that failures fail."""

from __future__ import annotations

import importlib.util
import textwrap
from unittest import SkipTest

import pytest
from sybil import Sybil

from grader import paths


@pytest.fixture(scope="module")
def docs_conftest():
    spec = importlib.util.spec_from_file_location("docs_sybil_conftest", paths.DOCS_DIR / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def examples(docs_conftest, tmp_path, markdown: str):
    page = tmp_path / "page.md"
    page.write_text(textwrap.dedent(markdown), encoding="utf-8")
    sybil = Sybil(parsers=[docs_conftest.DocsCodeBlockParser(), docs_conftest.SkipParser()])
    document = sybil.parse(page)
    return document, list(document)


def test_snippet_includes_are_not_executed(docs_conftest, tmp_path):
    _, found = examples(docs_conftest, tmp_path, '''
        ```python title="exercises/exercise-04/net.py"
        --8<-- "exercises/exercise-04/net.py"
        ```

        ```python title="an escaped include, shown as text"
        ;--8<-- "exercises/exercise-11/norm.py"
        ```

        ```python title="real code"
        answer = 6 * 7
        ```
    ''')
    assert len(found) == 1 and "answer = 6 * 7" in found[0].parsed


def test_blocks_share_one_namespace_per_page(docs_conftest, tmp_path):
    document, found = examples(docs_conftest, tmp_path, '''
        ```python
        x = 41
        ```

        ```py
        x += 1
        ```

        ```pycon
        >>> x
        42
        ```
    ''')
    for example in found:
        example.evaluate()
    assert document.namespace["x"] == 42


def test_a_wrong_doctest_output_fails(docs_conftest, tmp_path):
    _, found = examples(docs_conftest, tmp_path, '''
        ```pycon
        >>> import torch
        >>> torch.zeros(2, 3).shape
        torch.Size([3, 2])
        ```
    ''')
    found[0].evaluate()
    with pytest.raises(Exception, match=r"torch.Size\(\[2, 3\]\)"):
        found[1].evaluate()


def test_a_wrong_error_message_fails(docs_conftest, tmp_path):
    _, found = examples(docs_conftest, tmp_path, '''
        ```pycon
        >>> int("x")
        Traceback (most recent call last):
          ...
        ValueError: a message that Python does not print
        ```
    ''')
    with pytest.raises(Exception, match="invalid literal"):
        found[0].evaluate()


def test_skip_marker_skips_the_next_block_with_its_reason(docs_conftest, tmp_path):
    _, found = examples(docs_conftest, tmp_path, '''
        <!-- skip: next "needs 2 GPUs" -->
        ```python
        raise RuntimeError("must not run")
        ```

        ```python
        ran = True
        ```
    ''')
    found[0].evaluate()  # the skip directive itself
    with pytest.raises(SkipTest, match="needs 2 GPUs"):
        found[1].evaluate()
    found[2].evaluate()


def test_other_languages_are_not_collected(docs_conftest, tmp_path):
    _, found = examples(docs_conftest, tmp_path, '''
        ```bash
        grader check exercise-04
        ```

        ```mermaid
        flowchart LR
          a --> b
        ```

        ```text
        not python
        ```
    ''')
    assert found == []


def test_setup_refuses_downloads(docs_conftest):
    import torch.hub

    namespace: dict = {}
    docs_conftest.setup(namespace)
    try:
        with pytest.raises(docs_conftest.NoDownloads, match="weights=None"):
            torch.hub.download_url_to_file("https://example.org/weights.pth", "/tmp/never")
    finally:
        docs_conftest.teardown(namespace)
    assert torch.hub.download_url_to_file is not docs_conftest._refuse_download
