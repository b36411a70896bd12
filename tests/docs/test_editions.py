"""The English and Chinese editions stay in step (grader/editions.py; ``grader dev check`` too).

One test per rule, parametrised over the pages or page pairs it applies to, so a failure
names the page. The second half checks the rules themselves on small made-up docs trees,
so a passing suite cannot mean a rule that never fires.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from devtools import editions
from grader import paths
from grader.registry import load_registry

PAGES = editions.english_pages() + editions.chinese_pages()
PAIRS = editions.page_pairs()
REGISTRY = list(load_registry())


def pair_id(pair: editions.PagePair) -> str:
    return pair.page.removesuffix(".md")


# -- the site's pages -------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_both_editions(page):
    """A page without its other edition fails, except the deliberate English-only ones."""
    assert editions.page_problems(page) == []


HAN = "\u4e00-\u9fff，。：；、（）"


@pytest.mark.parametrize("page", editions.chinese_pages())
def test_chinese_prose_never_breaks_a_line_between_two_han_characters(page):
    """A browser renders such a line break as a space in the middle of a Chinese sentence."""
    import re

    prose = editions.without_code_blocks((paths.DOCS_DIR / page).read_text(encoding="utf-8"))
    broken = re.findall(rf"[{HAN}]\n[ \t]*[{HAN}]", prose)
    assert broken == [], f"{page}: join these lines: {broken[:3]}"


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_page_pair_has_the_same_quizzes(pair):
    assert editions.quiz_problems(pair) == []


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_page_pair_runs_the_same_code(pair):
    """Same code blocks, order and languages; the same code once the reader's words are set aside.

    The rule (``devtools.editions.normalised``): a translation may change ``#`` comments,
    Python docstrings, and the literal text of the strings a block passes to ``print(...)``
    or to a raised exception (an f-string's ``{...}`` fields are code and stay); Python is
    compared by syntax tree, so nothing else may differ: statements, names, numbers and
    every other string are the English page's. Outputs (pycon outputs, ``text`` blocks)
    must be the English outputs, except where a translated print/raise string put its
    text: each English text is matched with its Chinese counterpart, string for string.

    This is why Sybil (docs/conftest.py) does not run the ``.zh.md`` pages: their blocks
    do and show what the English blocks do and show, which it does run.
    """
    assert editions.code_block_problems(pair) == []


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_page_pair_shows_the_same_figures_and_formulas(pair):
    """Same figures (each edition's own drawing, with alt text) and the same display formulas."""
    assert editions.figure_problems(pair) + editions.formula_problems(pair) == []


def test_errata_pages_list_the_same_errata():
    assert editions.errata_problems() == []


@pytest.mark.parametrize("exercise", REGISTRY, ids=lambda ex: ex.id)
def test_exercise_pages_show_the_registry_hints_in_both_languages(exercise):
    assert editions.exercise_hint_problems(exercise) == []


def test_english_only_pages_are_the_maintainer_guide_and_the_api_reference():
    english_only = [page for page in editions.english_pages() if editions.is_english_only(page)]
    assert "guides/maintainer.md" in english_only
    assert {page for page in english_only if page != "guides/maintainer.md"} == \
           {page for page in editions.english_pages() if page.startswith("reference/")}


def test_sync_problems_is_every_rule_at_once():
    expected = editions.missing_page_problems() + editions.errata_problems() + editions.hint_problems()
    for pair in PAIRS:
        expected += editions.quiz_problems(pair) + editions.code_block_problems(pair)
        expected += editions.figure_problems(pair) + editions.formula_problems(pair)
    assert sorted(editions.sync_problems()) == sorted(expected)


def test_the_editions_check_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, devtools.editions as d; d.sync_problems(); print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(editions.__file__).parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# -- the rules themselves, on made-up pages -------------------------------------------------
def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def pair(root: Path, page: str = "chapters/x.md") -> editions.PagePair:
    return editions.PagePair(page, root / page, root / editions.zh_name(page))


EN_CODE = '''
    # Tensors

    ```python
    import torch  # the library
    # make one
    x = torch.zeros(2, 3)  # shape (2, 3)
    s = "# not a comment"
    ```

    !!! note

        ```pycon
        >>> x.shape  # ask
        torch.Size([2, 3])
        ```

    ```bash
    pip install torch  # CPU wheel
    echo $# ${#x}
    ```
'''

ZH_CODE = '''
    # 张量

    ```python
    import torch  # 导入库
    # 创建一个张量，
    # 形状为 (2, 3)
    x = torch.zeros(2, 3)
    s = "# not a comment"
    ```

    !!! note

        ```pycon
        >>> x.shape  # 查看形状
        torch.Size([2, 3])
        ```

    ```bash
    pip install torch  # 只装 CPU 版
    echo $# ${#x}
    ```
'''


def test_translated_comments_keep_the_code_identical(tmp_path):
    root = write(tmp_path, {"chapters/x.md": EN_CODE, "chapters/x.zh.md": ZH_CODE})
    assert editions.code_block_problems(pair(root)) == []


@pytest.mark.parametrize("change, expected", [
    (("torch.zeros(2, 3)\n", "torch.zeros(3, 2)\n"), "code block 1 (python) differs"),
    (('s = "# not a comment"', 's = "# 不是注释"'), "code block 1 (python) differs"),
    (("torch.Size([2, 3])", "torch.Size([3, 2])"), "code block 2 (pycon) differs"),
    (("echo $# ${#x}", "echo $#"), "code block 3 (bash) differs"),
    (("```bash", "```sh"), "code block 3 is 'sh'"),
    (("    ```bash\n    pip install torch  # 只装 CPU 版\n    echo $# ${#x}\n    ```\n", ""), "has 2 code blocks"),
])
def test_changed_code_is_reported(tmp_path, change, expected):
    root = write(tmp_path, {"chapters/x.md": EN_CODE, "chapters/x.zh.md": ZH_CODE.replace(*change)})
    problems = editions.code_block_problems(pair(root))
    assert problems and expected in problems[0], problems


EN_STARTER = '''
    ```python title="exercises/exercise-04/net.py"
    --8<-- "exercises/exercise-04/net.py"
    ```

    ```markdown
    ;--8<-- "exercises/exercise-04/net.py"
    ```
'''


@pytest.mark.parametrize("zh_path, same", [
    ("exercises/exercise-04/net.py", True),
    ("exercises/exercise-04/net.zh.py", True),  # the Chinese stub: the same code (tests/test_chinese_stubs.py)
    ("exercises/exercise-05/sequential.zh.py", False),
    ("exercises/exercise-04/other.zh.py", False),
])
def test_a_chinese_page_may_include_the_chinese_stub(tmp_path, zh_path, same):
    zh = EN_STARTER.replace('--8<-- "exercises/exercise-04/net.py"', f'--8<-- "{zh_path}"', 1)
    root = write(tmp_path, {"exercises/x.md": EN_STARTER, "exercises/x.zh.md": zh})
    assert (editions.code_block_problems(pair(root, "exercises/x.md")) == []) is same


def test_an_escaped_include_is_shown_text_and_compared_as_it_is(tmp_path):
    zh = EN_STARTER.replace(';--8<-- "exercises/exercise-04/net.py"', ';--8<-- "exercises/exercise-04/net.zh.py"')
    root = write(tmp_path, {"exercises/x.md": EN_STARTER, "exercises/x.zh.md": zh})
    problems = editions.code_block_problems(pair(root, "exercises/x.md"))
    assert problems and "code block 2 (markdown) differs" in problems[0], problems


# the normaliser: what a translation may change in Python, and what it may not
EN_PY = '''
def conv_out(size, kernel):
    """Spatial output size."""  # docstring
    return size - kernel + 1

for epoch in range(2):
    loss = 0.5 / (epoch + 1)
    print(f"epoch {epoch}: loss {loss:.2f}")  # one line per epoch
print("features per sample:", conv_out(28, 3))
if conv_out(28, 3) < 0:
    raise ValueError(f"size must be >= kernel, got {conv_out(28, 3)}")
s = "# not a comment"
'''

ZH_PY = '''
def conv_out(size, kernel):
    # 中文注释
    """卷积输出的空间尺寸。"""
    return size - kernel + 1

for epoch in range(2):
    loss = 0.5 / (epoch + 1)
    print(f"第 {epoch} 轮：损失 {loss:.2f}")
print("每个样本的特征数：", conv_out(28, 3))
if conv_out(28, 3) < 0:
    raise ValueError(f"size 不能小于 kernel，得到 {conv_out(28, 3)}")
s = "# not a comment"
'''


def test_the_normaliser_sets_aside_comments_docstrings_and_printed_text():
    en, zh = editions.python_skeleton(EN_PY), editions.python_skeleton(ZH_PY)
    assert en.code == zh.code
    assert en.labels == ("epoch ", ": loss ", "features per sample:", "size must be >= kernel, got ")
    assert zh.labels == ("第 ", " 轮：损失 ", "每个样本的特征数：", "size 不能小于 kernel，得到 ")


@pytest.mark.parametrize("change", [
    ("return size - kernel + 1", "return size - kernel"),  # a statement's logic
    ("range(2)", "range(3)"),  # a number
    ("{loss:.2f}", "{loss:.3f}"),  # an f-string's field is code: its format spec too
    ("{epoch}: loss", "{epoch + 1}: loss"),  # ... and its expression
    ('s = "# not a comment"', 's = "# 不是注释"'),  # a string that is neither printed nor raised
    ('print("features per sample:", conv_out(28, 3))', 'print("features per sample:", conv_out(28, 5))'),
    ('print("features per sample:", ', 'print("features per sample:", 1, '),  # one more argument
    ('"""Spatial output size."""  # docstring\n', ""),  # a docstring removed, not translated
    ("raise ValueError", "raise TypeError"),
])
def test_the_normaliser_still_tells_different_code_apart(change):
    assert change[0] in EN_PY
    changed = EN_PY.replace(*change)
    assert editions.python_skeleton(changed).code != editions.python_skeleton(EN_PY).code, change


def test_pycon_outputs_may_differ_only_by_the_translated_labels(tmp_path):
    en = '''
        ```pycon
        >>> def f(n):
        ...     """Count."""
        ...     return n * 2
        ...
        >>> print("features per sample:", f(3))  # a label
        features per sample: 6
        >>> print(f"{f(2):,} parameters")
        4 parameters
        ```

        ```text
        features per sample: 6
        ```
        '''
    zh = (en.replace("Count.", "计数。").replace("# a label", "# 标签")
          .replace("features per sample:", "每个样本的特征数：").replace(" parameters", " 个参数"))
    root = write(tmp_path, {"x.md": en, "x.zh.md": zh})
    assert editions.code_block_problems(pair(root, "x.md")) == []

    write(root, {"x.zh.md": zh.replace("每个样本的特征数： 6\n        >>>", "每个样本的特征数： 7\n        >>>")})
    assert editions.code_block_problems(pair(root, "x.md")) == [
        "docs/x.zh.md:2 code block 1 (pycon) differs from docs/x.md:2: output line 1: '每个样本的特征数： 7' "
        "instead of 'features per sample: 6' (only the text of translated print/raise strings may differ)"]

    write(root, {"x.zh.md": zh.replace("```text\n        每个样本的特征数： 6", "```text\n        样本数： 6")})
    problems = editions.code_block_problems(pair(root, "x.md"))
    assert len(problems) == 1 and "code block 2 (text) differs" in problems[0], problems

    write(root, {"x.zh.md": zh.replace("4 个参数", "4 parameters")})  # a label translated in code only
    problems = editions.code_block_problems(pair(root, "x.md"))
    assert len(problems) == 1 and "output line 2: '4 parameters'" in problems[0], problems

    write(root, {"x.zh.md": zh.replace('print("每个样本的特征数：", f(3))', 'print("每个样本的特征数：", f(4))')})
    problems = editions.code_block_problems(pair(root, "x.md"))
    assert "code block 1 (pycon) differs" in problems[0] and "line 4: \"print('…', f(4))\"" in problems[0]
    assert "code block 2 (text) differs" in problems[1]  # its label's code differs: no longer a translation


def test_a_diagram_may_translate_its_labels(tmp_path):
    en = "```mermaid\nflowchart LR\n  a[input] --> b[output]\n```\n"
    zh = "```mermaid\nflowchart LR\n  a[输入] --> b[输出]\n```\n"
    root = write(tmp_path, {"x.md": en, "x.zh.md": zh})
    assert editions.code_block_problems(pair(root, "x.md")) == []


QUIZ_EN = textwrap.dedent('''
    <quiz>
    What is 2 + 2?
    - [x] 4
    - [ ] 5
    > five is one too many

    Adding.
    </quiz>

    ```markdown
    <quiz>
    shown, not a quiz
    </quiz>
    ```
''')


def test_quizzes_must_match_in_number_and_options(tmp_path):
    zh_same = QUIZ_EN.replace("What is 2 + 2?", "2 + 2 等于几？").replace("Adding.", "加法。")
    root = write(tmp_path, {"x.md": QUIZ_EN, "x.zh.md": zh_same})
    assert editions.quiz_problems(pair(root, "x.md")) == []

    write(tmp_path, {"x.zh.md": zh_same.replace("- [x] 4\n- [ ] 5", "- [ ] 4\n- [x] 5")})
    assert "quiz 1: options [ ][x] differ from docs/x.md's [x][ ]" in editions.quiz_problems(pair(root, "x.md"))[0]

    write(tmp_path, {"x.zh.md": "no quiz here\n"})
    assert editions.quiz_problems(pair(root, "x.md")) == ["docs/x.zh.md has 0 quiz questions, docs/x.md has 1"]


def test_quiz_options_must_keep_their_code(tmp_path):
    """A translated option may reword its prose, never its `code`: that is often the answer."""
    en = "<quiz>\nShape?\n- [x] `(16, 3, 3, 3)`, weights first\n- [ ] `(3, 16, 3, 3)`\n> no\n\nWhy.\n</quiz>\n"
    root = write(tmp_path, {"x.md": en, "x.zh.md": en.replace("weights first", "权重在前")})
    assert editions.quiz_problems(pair(root, "x.md")) == []

    write(tmp_path, {"x.zh.md": en.replace("`(3, 16, 3, 3)`", "`(3, 16, 3)`")})
    assert editions.quiz_problems(pair(root, "x.md")) == [
        "docs/x.zh.md quiz 1 option 2: code ['(3, 16, 3)'] differs from docs/x.md's ['(3, 16, 3, 3)']"]


def test_missing_pages_are_reported_but_english_only_ones_are_not(tmp_path):
    root = write(tmp_path, {"index.md": "# Home\n", "a.md": "# A\n", "only.zh.md": "# 只有中文\n",
                            "guides/maintainer.md": "# Maintainer\n", "reference/runner.md": "# runner\n",
                            "index.zh.md": "# 首页\n"})
    assert editions.missing_page_problems(root) == [
        "docs/a.md has no Chinese edition: docs/a.zh.md is missing",
        "docs/only.zh.md has no English edition: docs/only.md is missing",
    ]
    write(root, {"reference/runner.zh.md": "# runner\n"})
    assert "reference/runner.zh.md translates a page listed as English-only" in \
           " ".join(editions.missing_page_problems(root))


ERRATA_EN = '''
    # Errata

    ## Erratum 1: The kernel { #kernel-32 }

    ## Erratum 2: The view { #view-8x8 }
'''


def test_errata_must_match_in_number_and_anchors(tmp_path):
    zh = "# 勘误\n\n## 勘误 1：卷积核 { #kernel-32 }\n\n## 勘误 2：view { #view-8x8 }\n"
    root = write(tmp_path, {"errata.md": ERRATA_EN, "errata.zh.md": zh})
    assert editions.errata_problems(root) == []

    write(root, {"errata.zh.md": "# 勘误\n\n## 勘误 1：卷积核 { #kernel-32 }\n"})
    assert editions.errata_problems(root) == [
        "docs/errata.zh.md has 1 errata, docs/errata.md has 2 (missing ['view-8x8'])"]

    write(root, {"errata.zh.md": "## 2 { #view-8x8 }\n\n## 1 { #kernel-32 }\n"})
    assert "errata anchors" in editions.errata_problems(root)[0]


def fake_exercise(hints_zh):
    return SimpleNamespace(id="exercise-04", docs="exercises/exercise-04.md",
                           hints=("one", "two"), hints_zh=hints_zh)


def test_exercise_hints_come_from_the_registry_in_both_languages(tmp_path):
    page = "# Exercise 04\n\n## Hints\n\n<!-- hints: exercise-04 -->\n"
    root = write(tmp_path, {"exercises/exercise-04.md": page, "exercises/exercise-04.zh.md": page})
    assert editions.exercise_hint_problems(fake_exercise(("一", "二")), root) == []

    assert editions.exercise_hint_problems(fake_exercise(None), root) == [
        "exercise-04: the registry has no Chinese hints (hints_zh) for its 2 hints"]
    assert "2 English ones" in editions.exercise_hint_problems(fake_exercise(("一",)), root)[0]

    write(root, {"exercises/exercise-04.zh.md": '## 提示\n\n??? tip "提示 1"\n\n    自己写的\n'})
    problems = editions.exercise_hint_problems(fake_exercise(("一", "二")), root)
    assert problems == [
        "docs/exercises/exercise-04.zh.md: hints must come from the registry with one "
        "<!-- hints: exercise-04 --> marker; found no hints marker",
        "docs/exercises/exercise-04.zh.md: a hand-written hint admonition; the registry's hints "
        "(exercises/exercises.toml) are the only ones",
    ]


def test_code_blocks_are_found_in_admonitions_tabs_and_long_fences():
    markdown = textwrap.dedent('''
        === "Linux"

            ```bash
            ls
            ```

        ````markdown
        ```python
        inner
        ```
        ````

        ~~~text
        tilde
        ~~~
    ''')
    blocks = editions.code_blocks(markdown)
    assert [(b.language, b.text) for b in blocks] == [
        ("bash", "ls"), ("markdown", "```python\ninner\n```"), ("text", "tilde")]


def test_figures_must_match_in_order_language_and_alt_text(tmp_path):
    root = write(tmp_path, {
        "chapters/x.md": """
            A paragraph.

            ![A 4 by 4 grid [[1, 5], ...] pooled to 2 by 2.](../figures/en/max-pooling.svg)

            ![Curves.](../figures/en/activation-curves.svg)

            ```markdown
            ![not a figure, an example](../figures/en/broadcasting.svg)
            ```
            """,
        "chapters/x.zh.md": """
            一段话。

            ![曲线。](../figures/zh/activation-curves.svg)

            ![](../figures/en/max-pooling.svg)
            """,
    })
    assert [f.name for f in editions.figures((root / "chapters/x.md").read_text())] == \
           ["max-pooling", "activation-curves"]
    problems = editions.figure_problems(pair(root))
    assert problems == [
        "docs/chapters/x.zh.md shows figures/en/max-pooling.svg; this edition's drawing is figures/zh/max-pooling.svg",
        "docs/chapters/x.zh.md: figure max-pooling has no alt text",
        "docs/chapters/x.zh.md shows the figures ['activation-curves', 'max-pooling'], "
        "docs/chapters/x.md shows ['max-pooling', 'activation-curves']",
    ]


def test_display_formulas_must_be_the_same_in_both_editions(tmp_path):
    en = """
        Softmax:

        $$
        \\operatorname{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}
        $$
        """
    root = write(tmp_path, {"chapters/x.md": en,
                            "chapters/x.zh.md": en.replace("Softmax:", "softmax：").replace("  = ", " = ")})
    assert editions.formula_problems(pair(root)) == []
    (root / "chapters/x.zh.md").write_text(textwrap.dedent(en).replace("z_j", "z_k"), encoding="utf-8")
    assert len(editions.formula_problems(pair(root))) == 1
    (root / "chapters/x.zh.md").write_text("没有公式。\n", encoding="utf-8")
    assert editions.formula_problems(pair(root)) == [
        "docs/chapters/x.zh.md has 0 display formulas, docs/chapters/x.md has 1"]
