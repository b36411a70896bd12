"""MkDocs hook: draw the course's figures (``site_hooks/course_figures``) before the pages are read.

The figures are SVGs written to ``docs/figures/<lang>/`` (git-ignored: never committed,
always drawn from the code that computes them), so pages link them like any image:
``![alt text](../figures/en/max-pooling.svg)`` in English, ``figures/zh/`` in Chinese.
Drawing takes seconds (torch and matplotlib), so it is skipped while a stamp file holds
the hash of everything a figure depends on: this package, the files it runs
(``course_figures.INPUTS``) and the versions of torch and matplotlib.

Each figure exists for the light and the dark colour scheme; a page names the light one,
and ``on_page_content`` adds its dark twin with Material's ``#only-light``/``#only-dark``
markers, so the reader sees the one that matches the scheme they picked.
"""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version
from pathlib import Path

import course_figures

FIGURES_DIR = "figures"
STAMP = ".stamp"  # a dotfile: MkDocs never copies it into the site
FIGURE_IMG = re.compile(r'<img (?P<before>[^>]*?)src="(?P<path>[^"]*/figures/(?:en|zh)/[\w-]+)\.svg"(?P<after>[^>]*)>')


def source_hash() -> str:
    digest = hashlib.sha256()
    package = Path(course_figures.__file__).parent
    for path in sorted(package.glob("*.py")) + list(course_figures.INPUTS):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for dist in ("torch", "matplotlib"):
        digest.update(f"{dist}=={version(dist)}".encode())
    return digest.hexdigest()


def up_to_date(out: Path, digest: str) -> bool:
    stamp = out / STAMP
    if not stamp.is_file():
        return False
    recorded, *files = stamp.read_text(encoding="utf-8").splitlines()
    return recorded == digest and all((out / f).is_file() and (out / f).stat().st_size for f in files)


def on_config(config):
    out = Path(config.docs_dir) / FIGURES_DIR
    digest = source_hash()
    if not up_to_date(out, digest):
        written = course_figures.generate(out)
        listing = [p.relative_to(out).as_posix() for p in written]
        (out / STAMP).write_text("\n".join([digest, *listing]) + "\n", encoding="utf-8")
    return config


def with_dark_twin(match: re.Match) -> str:
    before, path, after = match["before"], match["path"], match["after"]
    return (f'<img {before}src="{path}.svg#only-light"{after}>'
            f'<img {before}src="{path}-dark.svg#only-dark"{after}>')


def on_page_content(html, page, config, files):  # noqa: ARG001 - MkDocs hook signature
    return FIGURE_IMG.sub(with_dark_twin, html)
