"""MkDocs hook: typeset the formulas with KaTeX served from the site itself, only where there are some.

``pymdownx.arithmatex`` (generic mode) leaves each formula in the page as TeX, in a
``<span class="arithmatex">\\(...\\)</span>`` or a ``<div class="arithmatex">\\[...\\]</div>``.
On those pages this hook loads the vendored KaTeX (docs/javascripts/vendor/katex, MIT
licence alongside it, fonts included) and ``javascripts/katex-render.js``, which renders
each of them. Nothing is fetched from a CDN, so formulas render offline; pages without a
formula load nothing.
"""

from __future__ import annotations

from mkdocs.utils import get_relative_url

KATEX_CSS = "javascripts/vendor/katex/katex.min.css"
KATEX_JS = "javascripts/vendor/katex/katex.min.js"
RENDER_JS = "javascripts/katex-render.js"
MARKER = 'class="arithmatex"'


def on_post_page(output, page, config):  # noqa: ARG001 - MkDocs hook signature
    if MARKER not in output:
        return output
    css, katex, render = (get_relative_url(path, page.url) for path in (KATEX_CSS, KATEX_JS, RENDER_JS))
    tags = (f'<link rel="stylesheet" href="{css}">\n'
            f'<script defer src="{katex}"></script>\n'
            f'<script defer src="{render}"></script>\n')
    return output.replace("</head>", tags + "</head>", 1)
