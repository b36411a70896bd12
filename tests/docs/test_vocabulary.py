"""One word per concept in the Chinese edition: the glossary's (docs/glossary.zh.md).

``VOCABULARY`` maps each retired variant to the form the site uses instead. A retired
variant may appear only once, as the synonym a glossary entry names ("也叫滤波器"), in
that entry's row of docs/glossary.zh.md; nowhere else in the Chinese pages (prose and code
comments), nor in the other Chinese the site shows: the nav titles in mkdocs.yml, the
exercises' Chinese titles and hints (exercises/exercises.toml), the grader's Chinese
messages, the Chinese column of the English glossary and the site hooks' labels.

Code stays as it is: ``state_dict()`` is an API name, and a code span or code block never
counts. ``PROSE_VOCABULARY`` holds the variants written in Latin letters ("state dict",
a bare "wheel"), which are looked for in prose only.
"""

from __future__ import annotations

import re

import pytest

from grader import paths

import zh_text

ROOT = paths.KIT_ROOT

VOCABULARY: dict[str, tuple[str, str | None]] = {
    # retired variant (regular expression): (chosen form, glossary entry that may name it once)
    "自动微分": ("自动求导", "g-autograd"),
    "轮子": ("wheel 包", None),
    "全归约": ("all-reduce", "g-all-reduce"),
    "滤波器": ("卷积核", "g-kernel"),
    "批次": ("批量", "g-batch"),
    "膨胀": ("空洞率", "g-dilation"),
    "空洞(?!率)": ("空洞率", None),
    "组装模型": ("搭建模型", None),
    "学习者": ("学员", None),
    "小测验": ("测验", None),
    "即时模式": ("即时执行", None),
    r"\beval 模式": ("评估模式", None),  # `model.eval()` as code stays
    "笔记本(?!电脑)": ("notebook", None),  # 笔记本电脑 (a laptop) is another word
}
PROSE_VOCABULARY: dict[str, tuple[str, str | None]] = {
    r"\b[Ss]tate dicts?\b": ("状态字典", None),
    r"\bwheels?\b(?! 包)": ("wheel 包", None),
}

GLOSSARY = "glossary.zh.md"
GLOSSARY_ROW = re.compile(r'^\|\s*<a id="(?P<anchor>g-[\w-]+)"></a>.*$', re.MULTILINE)

SITE_STRINGS = ["mkdocs.yml", "exercises/exercises.toml", "grader/messages.py", "docs/glossary.md",
                "grader/locale/zh/LC_MESSAGES/grader.po",
                *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "site_hooks").rglob("*.py"))]
"""Files with Chinese the site or the grader shows besides the pages (only their Han text is looked at)."""
PENDING_ELSEWHERE = {"site_hooks/course_figures/training.py": {"批次"}}
"""Figure labels are translated in a separate pass (the loss curve's x label); tolerated until then."""


def without_english_column(glossary_prose: str) -> str:
    """The glossary's tables without their second column (the English term, e.g. "state dict")."""
    def drop(line: str) -> str:
        cells = line.split("|")
        return "|".join(cells[:2] + cells[3:]) if line.startswith("|") and len(cells) > 3 else line
    return "\n".join(drop(line) for line in glossary_prose.splitlines())


def findings(text: str, vocabulary: dict[str, tuple[str, str | None]]) -> list[tuple[int, str, str]]:
    """``(line number, variant found, chosen form)`` for each retired variant in ``text``."""
    found = []
    for variant, (chosen, _) in vocabulary.items():
        for match in re.finditer(variant, text):
            found.append((text.count("\n", 0, match.start()) + 1, match.group(0), chosen))
    return found


def page_problems(page: str, markdown: str) -> list[str]:
    prose = zh_text.prose(markdown)
    latin_prose = without_english_column(prose) if page == GLOSSARY else prose
    found = findings(prose, VOCABULARY) + findings(latin_prose, PROSE_VOCABULARY)
    found += [(0, variant, chosen) for _, variant, chosen in findings(zh_text.comments(markdown), VOCABULARY)]
    if page == GLOSSARY:
        found = [f for f in found if not glossary_synonym(markdown, f)]
        found += glossary_repeats(markdown)
    where = lambda line: f"line {line}" if line else "a code comment"  # noqa: E731
    return [f"docs/{page}, {where(line)}: '{variant}' -> use '{chosen}'" for line, variant, chosen in found]


def glossary_synonym(markdown: str, finding: tuple[int, str, str]) -> bool:
    """Whether a finding is the one synonym that the chosen term's own glossary entry names."""
    line, variant, _ = finding
    row = GLOSSARY_ROW.match(markdown.splitlines()[line - 1] if line else "")
    anchors = {anchor for pattern, (_, anchor) in VOCABULARY.items() if re.fullmatch(pattern, variant)}
    return row is not None and row.group("anchor") in anchors


def glossary_repeats(markdown: str) -> list[tuple[int, str, str]]:
    """A variant named more than once in its entry: the synonym is named once."""
    repeats = []
    for variant, (chosen, anchor) in VOCABULARY.items():
        for row in GLOSSARY_ROW.finditer(markdown):
            if row.group("anchor") == anchor and len(re.findall(variant, row.group(0))) > 1:
                repeats.append((markdown.count("\n", 0, row.start()) + 1, variant + " (twice)", chosen))
    return repeats


def han_lines(text: str) -> str:
    """Only the lines that hold Chinese (line numbers kept): English text is not this test's business."""
    return "\n".join(line if re.search(f"[{zh_text.HAN}]", line) else "" for line in text.splitlines())


# -- the site -------------------------------------------------------------------------------
def test_every_chinese_page_is_scanned():
    pages = zh_text.chinese_pages()
    assert len(pages) >= 30
    assert {p.relative_to(paths.DOCS_DIR).as_posix() for p in pages} >= {
        "index.zh.md", "glossary.zh.md", "errata.zh.md", "chapters/tensors.zh.md", "guides/learner.zh.md",
        "exercises/exercise-10.zh.md"}


@pytest.mark.parametrize("page", [p.relative_to(paths.DOCS_DIR).as_posix() for p in zh_text.chinese_pages()])
def test_chinese_page_uses_the_glossary_vocabulary(page):
    assert page_problems(page, (paths.DOCS_DIR / page).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", SITE_STRINGS)
def test_other_chinese_on_the_site_uses_the_glossary_vocabulary(name):
    text = han_lines((ROOT / name).read_text(encoding="utf-8"))
    if name == "docs/glossary.md":  # the English glossary: its Chinese column
        text = "\n".join(line.split("|")[2] if line.startswith("| <a") else "" for line in text.splitlines())
    pending = PENDING_ELSEWHERE.get(name, set())
    found = [f for f in findings(text, VOCABULARY) if f[1] not in pending]
    assert found == [], f"{name}: " + ", ".join(f"line {n}: '{v}' -> use '{c}'" for n, v, c in found)


def test_each_chosen_form_is_what_the_pages_say():
    """The table is the vocabulary in use, not a list of words nobody writes."""
    text = "\n".join(zh_text.prose(p.read_text(encoding="utf-8")) for p in zh_text.chinese_pages())
    for chosen, _ in {**VOCABULARY, **PROSE_VOCABULARY}.values():
        assert text.count(chosen) >= 3, chosen


def test_the_glossary_names_each_synonym_it_is_allowed_to_name():
    markdown = (paths.DOCS_DIR / GLOSSARY).read_text(encoding="utf-8")
    rows = {row.group("anchor"): row.group(0) for row in GLOSSARY_ROW.finditer(markdown)}
    for variant, (chosen, anchor) in VOCABULARY.items():
        if anchor:
            assert re.search(variant, rows[anchor]) and chosen in rows[anchor], (variant, anchor)


# -- the rule itself, on made-up pages --------------------------------------------------------
def test_the_rule_flags_retired_variants_in_prose_and_comments_but_not_in_code():
    page = ("# 训练\n\n每个批次都要清零梯度，并保存 state dict。\n\n"
            "```python\nloss.backward()  # 梯度在这里做全归约\nsd = model.state_dict()  # 状态字典\n```\n\n"
            "`batch` 和 `wheel` 是代码，笔记本电脑不是笔记本。\n")
    problems = page_problems("chapters/x.zh.md", page)
    assert any("'批次' -> use '批量'" in p for p in problems)
    assert any("'state dict' -> use '状态字典'" in p for p in problems)
    assert any("code comment: '全归约'" in p for p in problems)
    assert sum("'笔记本'" in p for p in problems) == 1
    assert len(problems) == 4, problems


def test_the_glossary_may_name_a_synonym_once_in_its_own_entry():
    row = '| <a id="g-batch"></a>批量 | batch | `batch_size=` | 一起处理的一组样本（也叫批次）。 |\n'
    assert page_problems(GLOSSARY, row) == []
    assert page_problems(GLOSSARY, row.replace("（也叫批次）", "（也叫批次，批次）")) != []
    elsewhere = '| <a id="g-epoch"></a>轮 | epoch | — | 每个批次都过一遍。 |\n'
    assert page_problems(GLOSSARY, elsewhere) != []
