"""Run every Python block of the site under pytest, with Sybil.

Collected by ``pytest docs`` (``docs`` is in the project's ``testpaths``). This file has
to live here, at or above the Markdown it collects: pytest only asks a conftest's
``pytest_collect_file`` about files inside that conftest's folder. mkdocs.yml's
``exclude_docs`` keeps it out of the built site.

What runs, page by page and in page order, in one namespace per page (so a chapter can
build on its earlier blocks):

* fences whose info string starts with ``python`` or ``py``, including ones carrying
  attributes such as ``python title="train.py"``: executed as code;
* ``pycon`` (or ``python``) fences that start with ``>>>``: run as doctests, so the
  outputs and error messages shown under the code (chapters, errata, guides) are
  checked against the installed PyTorch; a page shows what code prints this way, never
  in a comment (tests/docs/test_output_comments.py);
* ``<!-- skip: next "reason" -->`` before a block skips it with that reason (for code
  that needs GPUs or several processes).

Not run: blocks whose only content is a ``--8<--`` snippet include (see
``is_snippet_include``), and every other language (bash, text, mermaid, ...).

Not collected by ``pytest docs``: the Chinese edition's pages (``*.zh.md``, see
``CHINESE_PAGES``). Their code is not a second copy to run but the same code:
tests/docs/test_editions.py proves, page pair by page pair, that a ``.zh.md`` page has the
same code blocks as its English page, in the same order and language, with the same code
once comments, docstrings and the text of printed (or raised) strings are set aside, and
the same outputs but for that text (``devtools.editions.code_block_problems``). Running them
too would double this suite's time (the blocks train small models) and check nothing new.
A Chinese page named on the command line (``pytest docs/chapters/models.zh.md``) does run,
for a translator who wants to see the translated labels print what the page shows.
"""

from __future__ import annotations

import doctest
import fnmatch
import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

from sybil import Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import SkipParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

CHINESE_PAGES = "*.zh.md"
PYTHON_INFO = re.compile(r"^(?:python|py|pycon)(?:\s|$)")
SNIPPET_LINE = re.compile(r"^\s*;?-{1,}8<-{1,}\s")  # ";--8<--" is an escaped include, shown as text
DOCTEST_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def is_snippet_include(source: str) -> bool:
    """True for a block that is only ``--8<-- "path"`` lines.

    Exercise pages show their starter code with
    ``--8<-- "exercises/exercise-NN/<module>.py"`` inside a ``python`` fence. In the
    Markdown source that line is a pymdownx.snippets *directive*, replaced by the
    stub's text only when MkDocs builds the page; executed as Python it would be a
    syntax error (and the stub it names is tested by the grader, not here). So these
    blocks are filtered out before Sybil ever sees them as examples.
    """
    lines = [line for line in source.splitlines() if line.strip()]
    return bool(lines) and all(SNIPPET_LINE.match(line) for line in lines)


class DocsCodeBlockParser:
    """Python and pycon fences, with or without attributes after the language."""

    def __init__(self) -> None:
        # language=".+" captures the whole info string, e.g. 'python title="x.py"'.
        self.lexer = FencedCodeBlockLexer(language=r".+")
        self.python = PythonEvaluator()
        self.doctests = DocTestStringParser(DocTestEvaluator(DOCTEST_FLAGS))

    def __call__(self, document):
        for region in self.lexer(document):
            if not PYTHON_INFO.match(region.lexemes["language"].strip()):
                continue
            source = region.lexemes["source"]
            if is_snippet_include(source):
                continue
            if source.lstrip().startswith(">>>"):
                for example in self.doctests(source, document.path):
                    example.adjust(region, source)
                    yield example
            else:
                region.parsed = source
                region.evaluator = self.python
                yield region


class NoDownloads(RuntimeError):
    pass


_saved: dict = {}


def _refuse_download(*args, **kwargs):
    raise NoDownloads("a docs code block tried to download something; build models with weights=None")


def _guarded_connect(sock, address, *rest):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and sock.family != socket.AF_UNIX:
        raise NoDownloads(f"a docs code block tried to reach {host!r}; the pages must work offline")
    return _saved["connect"](sock, address, *rest)


def setup(namespace: dict) -> None:
    """Per page: a fresh seed, no network, an empty model cache, a private working dir."""
    import torch
    import torch.hub

    torch.manual_seed(0)
    # The blocks are tiny; one intra-op thread avoids OpenMP threads spinning against
    # each other when the machine is busy (pytest-xdist, other jobs), which made some
    # blocks several times slower. Real training code should keep the default.
    _saved.update(threads=torch.get_num_threads())
    torch.set_num_threads(1)
    _saved.update(connect=socket.socket.connect, download=torch.hub.download_url_to_file,
                  cwd=os.getcwd(), torch_home=os.environ.get("TORCH_HOME"))
    socket.socket.connect = _guarded_connect
    torch.hub.download_url_to_file = _refuse_download
    workdir = _saved["workdir"] = tempfile.mkdtemp(prefix="docs-blocks-")
    os.environ["TORCH_HOME"] = os.path.join(workdir, "torch-home")
    os.chdir(workdir)  # blocks that write files (checkpoints, exports) write here
    namespace["__name__"] = "__docs__"


def teardown(namespace: dict) -> None:
    import torch
    import torch.distributed as dist
    import torch.hub

    torch.set_num_threads(_saved["threads"])
    if dist.is_available() and dist.is_initialized():  # a failed DDP block must not leak
        dist.destroy_process_group()
    socket.socket.connect = _saved["connect"]
    torch.hub.download_url_to_file = _saved["download"]
    os.chdir(_saved["cwd"])
    shutil.rmtree(_saved["workdir"], ignore_errors=True)
    if _saved["torch_home"] is None:
        os.environ.pop("TORCH_HOME", None)
    else:
        os.environ["TORCH_HOME"] = _saved["torch_home"]


_collect = Sybil(
    parsers=[DocsCodeBlockParser(), SkipParser()],
    patterns=["*.md"],
    setup=setup,
    teardown=teardown,
    name="docs",
).pytest()


def named_on_command_line(file_path, config) -> bool:
    """Whether ``file_path`` itself was given to pytest (not a folder above it)."""
    for arg in config.args:
        path = Path(arg.split("::")[0])
        path = path if path.is_absolute() else Path(config.invocation_params.dir) / path
        if path.resolve() == Path(file_path).resolve():
            return True
    return False


def pytest_collect_file(file_path, parent):
    if fnmatch.fnmatch(Path(file_path).name, CHINESE_PAGES) and not named_on_command_line(file_path, parent.config):
        return None
    return _collect(file_path, parent)
