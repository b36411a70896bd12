"""The docs' sources: one page per registry exercise, quizzes, errata, and the hook's rules.

English pages are ``docs/<page>.md``, their Chinese translations ``docs/<page>.zh.md``;
tests/docs/test_editions.py checks that the two stay in step.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from grader import paths
from grader.registry import chinese_stub_name, load_registry

DOCS = paths.DOCS_DIR
CHAPTERS = sorted(p for p in (DOCS / "chapters").glob("*.md") if not p.name.endswith(".zh.md"))
CHAPTERS_ZH = sorted((DOCS / "chapters").glob("*.zh.md"))
QUIZ = re.compile(r"^<quiz>\n(.*?)\n</quiz>$", re.MULTILINE | re.DOTALL)
MIN_QUESTIONS = 6
"""Self-check questions per chapter (the Chinese pages have as many: test_editions.py)."""


def load_hook():
    spec = importlib.util.spec_from_file_location("site_hook_exercises", paths.KIT_ROOT / "site_hooks" / "exercises.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- exercise pages -------------------------------------------------------------------
@pytest.mark.parametrize("exercise", list(load_registry()), ids=lambda ex: ex.id)
def test_every_registry_exercise_has_a_page(exercise):
    page = DOCS / exercise.docs
    assert page.is_file(), f"{exercise.id} is in exercises/exercises.toml but docs/{exercise.docs} does not exist"


@pytest.mark.parametrize("exercise", list(load_registry()), ids=lambda ex: ex.id)
def test_exercise_page_follows_the_format(exercise):
    page = DOCS / exercise.docs
    if not page.is_file():
        pytest.fail(f"docs/{exercise.docs} is missing")
    text = page.read_text(encoding="utf-8")
    number = exercise.id[-2:]
    assert text.startswith(f"# Exercise {number} — "), "the page must start with '# Exercise NN — <title>'"
    for heading in ("## Your task", "## Starter code", "## Check your work",
                    "## What the hidden checks look for", "## Hints"):
        assert f"\n{heading}\n" in text, f"missing section {heading!r}"
    for name in exercise.files:
        included = f'--8<-- "exercises/{exercise.id}/{name}"'
        assert included in text.splitlines(), (f"starter code of {name} is not included from the stub: a line "
                                               f"{included} of its own (a leading ';' escapes the include)")
    assert f"grader check {exercise.id}" in text
    assert f"<!-- hints: {exercise.id} -->" in text, "hints must come from the registry via the marker"


def test_no_exercise_page_without_a_registry_entry():
    declared = {ex.docs for ex in load_registry()}
    pages = {f"exercises/{p.name}".replace(".zh.md", ".md") for p in (DOCS / "exercises").glob("exercise-*.md")}
    assert not pages - declared, f"pages for exercises the registry does not declare: {sorted(pages - declared)}"


def test_a_missing_page_is_reported_by_the_build_hook(tmp_path, caplog):
    """The hook warns (so ``--strict`` fails) for a registry exercise without a page."""
    hook = load_hook()

    class NoFiles:
        def get_file_from_path(self, path):
            return None

    with caplog.at_level("WARNING", logger="mkdocs.hooks.exercises"):
        hook.on_files(NoFiles(), config={})
    first = next(iter(load_registry()))
    assert f"exercise {first.id}" in caplog.text and f"docs/{first.docs} is missing" in caplog.text


# -- the hints hook ---------------------------------------------------------------------
class FakePage:
    class file:  # noqa: N801 - mimics mkdocs.structure.files.File
        src_path = src_uri = "exercises/exercise-04.md"

    url = "exercises/exercise-04/"


def test_hints_marker_expands_to_every_registry_hint_in_order():
    hook = load_hook()
    ex = load_registry().get("exercise-04")
    out = hook.on_page_markdown("## Hints\n\n<!-- hints: exercise-04 -->\n", FakePage, {}, None)
    titles = re.findall(r'^\?\?\? tip "Hint (\d+) of (\d+)"$', out, re.MULTILINE)
    assert titles == [(str(i), str(len(ex.hints))) for i in range(1, len(ex.hints) + 1)]
    assert "64\\*7\\*7" in out  # escaped: renders literally, not as italics


def test_unknown_exercise_in_hints_marker_fails_the_build():
    hook = load_hook()
    with pytest.raises(PluginError, match=r"exercise-04\.md: <!-- hints: exercise-99 --> names no exercise"):
        hook.on_page_markdown("<!-- hints: exercise-99 -->\n", FakePage, {}, None)


def test_markers_inside_code_fences_are_left_alone():
    hook = load_hook()
    source = ("Example:\n\n````markdown\n<!-- hints: exercise-99 -->\n```\ninner\n```\n````\n\n"
              "<!-- hints: exercise-04 -->\n")
    out = hook.on_page_markdown(source, FakePage, {}, None)
    assert "<!-- hints: exercise-99 -->" in out
    assert "<!-- hints: exercise-04 -->" not in out and '??? tip "Hint 1' in out


class FakeChinesePage:
    class file:  # noqa: N801 - what mkdocs-static-i18n makes of a .zh.md source
        src_path = src_uri = "exercises/exercise-04.zh.md"
        locale = "zh"

    url = "exercises/exercise-04/"


def test_hints_marker_on_a_chinese_page_expands_the_chinese_hints():
    hook = load_hook()
    ex = load_registry().get("exercise-04")
    hints_zh = getattr(ex, "hints_zh", None)
    if not hints_zh:
        pytest.skip("exercise-04 has no hints_zh in the registry yet")
    out = hook.on_page_markdown("## 提示\n\n<!-- hints: exercise-04 -->\n", FakeChinesePage, {}, None)
    titles = re.findall(r'^\?\?\? tip "提示 (\d+)（共 (\d+) 条）"$', out, re.MULTILINE)
    assert titles == [(str(i), str(len(hints_zh))) for i in range(1, len(hints_zh) + 1)]
    assert hook.escape_markdown(hints_zh[0]) in out
    assert "Hint 1" not in out


def test_a_chinese_page_falls_back_to_english_hints_without_a_translation(monkeypatch):
    hook = load_hook()
    ex = load_registry().get("exercise-04")
    english_only = type("Ex", (), {"id": ex.id, "title": ex.title, "hints": ex.hints, "hints_zh": None})
    monkeypatch.setattr(hook, "registry", lambda: type("R", (), {"get": staticmethod(lambda _id: english_only)})())
    out = hook.on_page_markdown("<!-- hints: exercise-04 -->\n", FakeChinesePage, {}, None)
    assert f'??? tip "Hint 1 of {len(ex.hints)}"' in out


def test_page_language_comes_from_the_i18n_plugin_or_the_source_name():
    hook = load_hook()
    assert hook.page_language(FakeChinesePage) == "zh"
    assert hook.page_language(FakePage) == "en"

    class EnglishFallback:  # an English page shown in the Chinese edition
        class file:  # noqa: N801
            src_uri = "guides/maintainer.md"
            locale = "en"

    assert hook.page_language(EnglishFallback) == "en"


def test_exercise_table_in_chinese_uses_the_chinese_titles():
    hook = load_hook()
    table = hook.exercise_table("exercises/index.zh.md", "zh")
    assert table.startswith("| 练习 | 标题 | 分值 | 要修改的文件 |")
    for ex in load_registry():
        title = getattr(ex, "title_zh", None) or ex.title
        assert f"| [{ex.id}]({ex.docs.removeprefix('exercises/')}) | {hook.escape_markdown(title)} |" in table


def test_escape_keeps_code_spans():
    hook = load_hook()
    assert hook.escape_markdown("use `a*b` not a*b_c <x>") == "use `a*b` not a\\*b\\_c &lt;x&gt;"


# -- quizzes and errata -----------------------------------------------------------------
def quizzes(path: Path) -> list[str]:
    return QUIZ.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("chapter", [p for p in CHAPTERS if p.name != "index.md"], ids=lambda p: p.stem)
def test_each_chapter_has_a_self_check_quiz_with_explanations(chapter):
    found = quizzes(chapter)
    assert len(found) >= MIN_QUESTIONS, (f"{chapter.name} has {len(found)} quiz questions; "
                                         f"at least {MIN_QUESTIONS} expected")
    text = chapter.read_text(encoding="utf-8")
    assert "Self-check" in text and "answers live in this page" in text
    for quiz in found:
        lines = quiz.splitlines()
        answers = [i for i, line in enumerate(lines) if re.match(r"^[-*] \[[xX ]?\] ", line)]
        assert answers, f"a quiz in {chapter.name} has no answers:\n{quiz}"
        assert any(re.match(r"^[-*] \[[xX]\] ", lines[i]) for i in answers), f"no correct answer:\n{quiz}"
        after = [line for line in lines[answers[-1] + 1:] if line.strip() and not line.lstrip().startswith(">")]
        assert after, f"a quiz in {chapter.name} has no explanation after its answers:\n{quiz}"


@pytest.mark.parametrize("chapter", [p for p in CHAPTERS_ZH if p.name != "index.zh.md"], ids=lambda p: p.stem)
def test_each_chinese_chapter_has_its_self_check_quiz_with_explanations(chapter):
    """Quiz counts and options are test_editions.py's; here: the same shape as in English."""
    found = quizzes(chapter)
    assert found, f"{chapter.name} has no quiz"
    assert '!!! note "自测"' in chapter.read_text(encoding="utf-8")
    for quiz in found:
        lines = quiz.splitlines()
        answers = [i for i, line in enumerate(lines) if re.match(r"^[-*] \[[xX ]?\] ", line)]
        assert answers and any(re.match(r"^[-*] \[[xX]\] ", lines[i]) for i in answers), quiz
        after = [line for line in lines[answers[-1] + 1:] if line.strip() and not line.lstrip().startswith(">")]
        assert after, f"a quiz in {chapter.name} has no explanation after its answers:\n{quiz}"


@pytest.mark.parametrize("exercise", list(load_registry()), ids=lambda ex: ex.id)
def test_chinese_exercise_page_follows_the_format(exercise):
    page = DOCS / exercise.docs.replace(".md", ".zh.md")
    if not page.is_file():
        pytest.fail(f"docs/{exercise.docs.replace('.md', '.zh.md')} is missing")
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# 练习 {exercise.id[-2:]} — "), "the page must start with '# 练习 NN — <标题>'"
    for anchor in ("your-task", "starter-code", "check-your-work", "what-the-hidden-checks-look-for", "hints"):
        assert re.search(rf"^## .+ \{{ #{anchor} \}}$", text, re.MULTILINE), \
            f"missing the section with anchor #{anchor} (the English page's section, translated)"
    for name in exercise.files:  # the Chinese starter code, under the title of the file the learner edits
        included = f'--8<-- "exercises/{exercise.id}/{chinese_stub_name(name)}"'
        assert included in text.splitlines(), f"the starter code must be included from the Chinese stub: {included}"
        assert f'```python title="exercises/{exercise.id}/{name}"' in text.splitlines()


def test_at_least_six_quiz_questions_per_chapter_in_total():
    chapters = [p for p in CHAPTERS if p.name != "index.md"]
    total = sum(len(quizzes(p)) for p in chapters)
    assert total >= MIN_QUESTIONS * len(chapters) >= 78, total


ERRATUM = re.compile(r"^## Erratum (\d+): .*\{ #([a-z0-9-]+) \}$", re.MULTILINE)


def test_errata_cover_the_known_errors_and_link_to_chapters():
    text = (DOCS / "errata.md").read_text(encoding="utf-8")
    entries = ERRATUM.findall(text)
    anchors = {anchor for _, anchor in entries}
    required = {"kernel-32", "view-8x8", "layer-description", "nn-nn", "tensor-2x2x3x3",
                "sequential-missing-layers", "relu-on-logits", "output-4-2", "install-commands",
                "custom-loss", "log-softmax-target", "multi-gpu", "model-x-y", "randn-targets",
                # the article's prose, not only its code (issue 22)
                "forward-call", "core-modules", "application-examples", "empty-qa", "conclusion-claims"}
    assert required <= anchors, f"missing errata: {sorted(required - anchors)}"
    assert [int(n) for n, _ in entries] == list(range(1, len(entries) + 1)), "errata must be numbered 1..N"
    sections = re.split(r"^## Erratum \d+: ", text, flags=re.MULTILINE)[1:]
    for section in sections:
        title = section.splitlines()[0]
        for part in ("**What the article says.**", "**Why it is wrong.**", "**The fix.**", "**Learn more:**"):
            assert part in section, f"erratum {title!r} lacks {part}"
        assert "](chapters/" in section, f"erratum {title!r} links to no chapter"
