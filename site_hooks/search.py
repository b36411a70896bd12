"""MkDocs hook: in search, a chapter outranks the pages that refer back to it.

The chapters teach; exercise pages, errata and the glossary mention the same terms
("卷积", "Conv2d") while pointing the reader to a chapter. A learner who searches a
concept wants the chapter that explains it first, in either edition, so every chapter
page gets Material's per-page search boost (``search.boost`` front matter, set here so
no page has to carry it). A page's own front matter still wins.
"""

from __future__ import annotations

CHAPTERS = "chapters/"
CHAPTER_BOOST = 2


def on_page_markdown(markdown, page, config, files):  # noqa: ARG001 - MkDocs hook signature
    if page.file.src_uri.startswith(CHAPTERS):
        search = page.meta.get("search")
        if not isinstance(search, dict):
            search = page.meta["search"] = {}
        search.setdefault("boost", CHAPTER_BOOST)
    return markdown
