"""MkDocs hook: every chapter as a Jupyter notebook, built from the chapter page itself.

For each chapter page (both editions), :func:`chapter_notebook` turns the page's Markdown
into a notebook with jupytext (prose as Markdown cells, Python as code cells), the hook
writes it next to the page in the built site, and a "download notebook" link in the
reader's language goes under the page title. tests/docs/test_notebooks.py executes the
notebooks with a real Jupyter kernel.

What the page's code blocks become:

* ``python`` blocks: code cells (attributes such as ``title=`` dropped);
* ``pycon`` sessions: code cells with the ``>>>``/``...`` prompts stripped and the shown
  output left out (running the cell prints it);
* a block the Sybil setup skips (``<!-- skip: next ... -->``, e.g. a script for torchrun):
  a ``%%writefile <title>`` cell when it has a file title, so running the notebook saves
  the script instead of starting it; otherwise a Markdown code listing;
* every other language (bash, text, mermaid): a listing inside a Markdown cell, never run;
* quizzes: left out (they need the site's widget); admonitions: a bold title and their text.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path, PurePosixPath

KIT_ROOT = Path(__file__).resolve().parent.parent
if str(KIT_ROOT) not in sys.path:  # MkDocs loads a hook by its path
    sys.path.insert(0, str(KIT_ROOT))

from devtools import fences  # noqa: E402

TITLE = re.compile(r'title="(?P<title>[^"]+)"')
SKIP_MARKER = re.compile(r"^\s*<!--\s*skip:\s*next\b.*-->\s*$")
ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]*(?P<kind>\w+)(?:[ \t]+"(?P<title>[^"]*)")?[ \t]*$')
QUIZ = re.compile(r"^<quiz>.*?^</quiz>[ \t]*\n?", re.MULTILINE | re.DOTALL)
HEADING_ATTRS = re.compile(r"[ \t]*\{[ \t]*#[^}]*\}[ \t]*$", re.MULTILINE)
PROMPT = re.compile(r"^(?:>>>|\.\.\.)(?: |$)")

QUIZ_POINTER = {"en": "*The chapter's quiz is on the course site.*", "zh": "*本章的自测题在课程网站上。*"}
LINK_TEXT = {"en": "Download this chapter as a Jupyter notebook", "zh": "下载本章的 Jupyter notebook"}
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def pycon_code(session: list[str]) -> list[str]:
    """The input lines of a ``>>>`` session, prompts stripped; outputs dropped, blank lines kept."""
    return [PROMPT.sub("", line) for line in session if PROMPT.match(line) or not line.strip()]


def without_quiz_section(markdown: str, language: str) -> str:
    """The page up to the heading of its quiz section, then a pointer to the site's quiz."""
    first_quiz = markdown.find("<quiz>")
    if first_quiz < 0:
        return markdown
    heading = markdown.rfind("\n## ", 0, first_quiz)
    cut = heading + 1 if heading >= 0 else first_quiz
    return markdown[:cut] + QUIZ_POINTER[language] + "\n"


def notebook_markdown(markdown: str, language: str = "en") -> str:
    """The page rewritten as jupytext-ready Markdown: only runnable code in ```python fences."""
    markdown = HEADING_ATTRS.sub("", QUIZ.sub("", without_quiz_section(markdown, language)))
    lines = markdown.splitlines()
    out: list[str] = []
    skip_next = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if SKIP_MARKER.match(line):
            skip_next = True
            i += 1
            continue
        admonition = ADMONITION.match(line)
        if admonition:  # a bold title, then its body dedented in place for the loop to read
            out += [admonition["indent"] + f"**{admonition['title'] or admonition['kind'].capitalize()}**", ""]
            body_indent = admonition["indent"] + "    "
            k = i + 1
            while k < len(lines) and (not lines[k].strip() or lines[k].startswith(body_indent)):
                lines[k] = lines[k][len(body_indent):] if lines[k].strip() else ""
                k += 1
            i += 1
            continue
        opener = fences.opening(line)
        if not opener:
            out.append(line)
            i += 1
            continue
        info, j = opener["info"].strip(), fences.closing_line(lines, i)
        body = textwrap.dedent("\n".join(lines[i + 1:j])).splitlines()  # fences in admonitions and lists
        language = fences.language(info)
        title = TITLE.search(info)
        if language in ("python", "py", "pycon"):
            code = pycon_code(body) if body and PROMPT.match(body[0]) else body
            if skip_next:
                if title and title["title"].endswith(".py"):
                    out += ["```python", f"%%writefile {title['title']}", *code, "```"]
                else:
                    out += ["```text", *code, "```"]
            else:
                out += ["```python", *code, "```"]
        else:
            out += ["```mermaid" if language == "mermaid" else "```text", *body, "```"]  # jupytext: 3 backticks
        skip_next = False
        i = j + 1
    return "\n".join(out) + "\n"


def chapter_notebook(markdown: str, language: str = "en"):
    """The chapter page as an nbformat notebook (not executed); ``language``: "en" or "zh"."""
    import jupytext  # a dev dependency, like MkDocs itself

    notebook = jupytext.reads(notebook_markdown(markdown, language), fmt="md")
    notebook.metadata = {"kernelspec": KERNEL, "language_info": {"name": "python"}}
    return notebook


def is_chapter(src_uri: str) -> bool:
    path = PurePosixPath(src_uri)
    return path.parts[0] == "chapters" and not path.name.startswith("index.")


def notebook_name(src_uri: str) -> str:
    """``chapters/tensors.zh.md`` -> ``tensors.ipynb`` (both editions: each in its own folder)."""
    return PurePosixPath(src_uri).name.split(".")[0] + ".ipynb"


def _language(src_uri: str) -> str:
    return "zh" if src_uri.endswith(".zh.md") else "en"


def on_page_markdown(markdown, page, config, files):  # noqa: ARG001 - MkDocs hook signature
    src = page.file.src_uri
    if not is_chapter(src):
        return markdown
    import nbformat

    name = notebook_name(src)
    target = Path(config["site_dir"]) / PurePosixPath(page.file.dest_uri).parent / name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(chapter_notebook(markdown, _language(src)), target)
    link = (f'<a class="md-button chapter-notebook" href="{name}" download>'
            f'{LINK_TEXT[_language(src)]} ({name})</a>')
    title, newline, rest = markdown.partition("\n")
    if title.startswith("# "):
        return f"{title}\n\n{link}\n{newline}{rest}"
    return f"{link}\n\n{markdown}"
