"""MkDocs hook: serve Mermaid from the site itself, only on pages that draw a diagram.

mkdocs-material renders ``mermaid`` fences with the global ``mermaid`` object when
one exists, and otherwise fetches the library from unpkg.com at page load. The kit
must work offline (classrooms, sandboxes, this project's CI), where that fetch fails
with a console error and no diagram. So a vendored copy (MIT licence alongside it)
is loaded before Material's bundle, on the pages that need it: 3.5 MB is not worth
parsing on every page.
"""

from __future__ import annotations

from mkdocs.utils import get_relative_url

MERMAID_JS = "javascripts/vendor/mermaid.min.js"
MARKER = '<pre class="mermaid">'


def on_post_page(output, page, config):  # noqa: ARG001 - MkDocs hook signature
    if MARKER not in output:
        return output
    src = get_relative_url(MERMAID_JS, page.url)
    tag = f'<script src="{src}"></script>\n'
    return output.replace("</head>", tag + "</head>", 1)
