"""The chapters' quizzes test knowledge, not layout, and their predicted values are right.

A reader who does not know the material must not be able to pass by a tell: the right
option being the longest, or sitting where it usually sits in the source. Every wrong
option says why it is wrong. A question that shows a ``python`` snippet asks the reader
to predict what its last line evaluates to; the snippet is run here, so the option
marked right is what the installed PyTorch computes, not what someone remembered.

Both editions are checked on their own: the Chinese options are the same options in the
same order (devtools/editions.py), but their visible lengths and their wording are the
translation's. Length is measured two ways in each edition, in characters and in reading
units (``units``: a Han character or an ASCII word counts one), because a Chinese option
full of code looks long in characters and short in units. A third tell is wording: a hedge
(通常, 可能, 或者 ...; usually, may, or ...) that only the right option carries.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import pytest

from grader import paths

CHAPTERS = sorted(p for p in (paths.DOCS_DIR / "chapters").glob("*.md") if p.stem not in ("index", "index.zh"))
QUIZ = re.compile(r"^<quiz>\n(.*?)\n</quiz>$", re.MULTILINE | re.DOTALL)
OPTION = re.compile(r"^[-*] \[(?P<mark>[xX ]?)\] (?P<text>.*)$")
SNIPPET = re.compile(r"^```python(?P<info>[^\n]*)\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`([^`]+)`")
MAX_SHARE = 0.40
"""The most a tell may cover: the share of questions won by 'pick the longest' or 'pick position k'."""
MAX_STRICTLY_LONGEST = 0.15
"""The most questions, per edition and per length measure, whose right option is strictly the longest."""
MAX_STRICTLY_SHORTEST = 0.20
"""The same for strictly the shortest: padding every wrong option must not turn length into the tell."""
MAX_HEDGED = 0.05
"""The most questions, per edition, in which only right options carry a hedge word."""


@dataclass(frozen=True)
class Option:
    text: str  # the Markdown after "- [x] "
    right: bool
    feedback: str  # the "> ..." lines under it, joined

    @property
    def visible(self) -> str:
        """What the reader sees: code spans without backticks, no escapes or emphasis marks."""
        parts = re.split(r"(`[^`]+`)", self.text)
        out = []
        for part in parts:
            if part.startswith("`") and part.endswith("`") and len(part) > 1:
                out.append(part[1:-1])
            else:
                part = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", part)
                out.append(re.sub(r"\\(.)", r"\1", part).replace("**", "").replace("*", ""))
        return "".join(out).strip()


@dataclass(frozen=True)
class Quiz:
    page: str
    number: int  # 1-based, in page order
    question: str
    options: tuple[Option, ...]

    @property
    def id(self) -> str:
        return f"{self.page}#{self.number}"

    @property
    def snippet(self) -> str | None:
        found = SNIPPET.search(self.question)
        return found.group("code") if found else None


def parse_quizzes(text: str, page: str) -> list[Quiz]:
    quizzes = []
    for number, body in enumerate(QUIZ.findall(text), start=1):
        lines = body.splitlines()
        first = next(i for i, line in enumerate(lines) if OPTION.match(line))
        options: list[Option] = []
        i = first
        while i < len(lines) and (match := OPTION.match(lines[i])):
            feedback = []
            i += 1
            while i < len(lines) and lines[i].startswith(">"):
                feedback.append(lines[i].lstrip("> ").strip())
                i += 1
            options.append(Option(match.group("text"), match.group("mark").lower() == "x", " ".join(feedback)))
        quizzes.append(Quiz(page, number, "\n".join(lines[:first]), tuple(options)))
    return quizzes


def edition(zh: bool) -> list[Quiz]:
    pages = [p for p in CHAPTERS if p.name.endswith(".zh.md") == zh]
    return [q for p in pages for q in parse_quizzes(p.read_text(encoding="utf-8"), p.name)]


ENGLISH, CHINESE = edition(zh=False), edition(zh=True)


# -- the tells ----------------------------------------------------------------------------
def longest_pick_wins(quiz: Quiz, pick=max) -> float:
    """How often 'pick the longest option' (``pick=min``: the shortest) wins this question.

    Ties split the win: 1.0 when a right option is strictly the longest, 1/k when it ties
    with k - 1 others (options all of one length win at chance), 0.0 when a wrong one is longer.
    """
    lengths = [len(o.visible) for o in quiz.options]
    longest = [o for o, n in zip(quiz.options, lengths) if n == pick(lengths)]
    return sum(o.right for o in longest) / len(longest)


def longest_share(quizzes: list[Quiz], pick=max) -> float:
    """The share of questions a reader wins by always picking the longest (or shortest) option."""
    return sum(longest_pick_wins(q, pick) for q in quizzes) / len(quizzes)


def position_shares(quizzes: list[Quiz]) -> dict[int, float]:
    """For each source position (1-based), the share of questions with a right option there."""
    counts: dict[int, int] = {}
    for quiz in quizzes:
        for position, option in enumerate(quiz.options, start=1):
            if option.right:
                counts[position] = counts.get(position, 0) + 1
    return {position: n / len(quizzes) for position, n in sorted(counts.items())}


UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[A-Za-z0-9_]+(?:[.'][A-Za-z0-9_]+)*")


def units(text: str) -> int:
    """Reading length: one per Han character and one per ASCII word (``nn.Linear`` is one word);
    spaces and punctuation count nothing. For English this is the word count."""
    return len(UNIT.findall(text))


MEASURES = {"characters": len, "units": units}


def strictly(quiz: Quiz, measure=len, pick=max) -> bool:
    """True when one option alone is the longest (``pick=min``: the shortest) and it is right."""
    lengths = [measure(o.visible) for o in quiz.options]
    extreme = [o for o, n in zip(quiz.options, lengths) if n == pick(lengths)]
    return len(extreme) == 1 and extreme[0].right


def strictly_share(quizzes: list[Quiz], measure=len, pick=max) -> float:
    return sum(strictly(q, measure, pick) for q in quizzes) / len(quizzes)


HEDGES = {
    "en": re.compile(r"\b(?:usually|typically|often|generally|mostly|probably|perhaps|may|might|"
                     r"in most cases|or)\b", re.IGNORECASE),
    "zh": re.compile(r"通常|一般|可能|往往|大多|多半|大致|大约|大概|未必|不一定|或者|或是|（或"),
}


def language(quizzes: list[Quiz]) -> str:
    return "zh" if quizzes and quizzes[0].page.endswith(".zh.md") else "en"


def hedged_right_only(quiz: Quiz, hedge: re.Pattern) -> bool:
    """True when some option hedges and every option that hedges is right."""
    hedged = [o for o in quiz.options if hedge.search(o.visible)]
    return bool(hedged) and all(o.right for o in hedged)


def tells_report(quizzes: list[Quiz]) -> str:
    shares = position_shares(quizzes)
    strict = "; ".join(f"{name}: strictly longest {strictly_share(quizzes, m):.0%}, "
                       f"strictly shortest {strictly_share(quizzes, m, min):.0%}" for name, m in MEASURES.items())
    return (f"{len(quizzes)} questions; right answer longest in {longest_share(quizzes):.0%}, "
            f"shortest in {longest_share(quizzes, min):.0%}; {strict}; "
            f"right answer by position: " + ", ".join(f"{p}: {s:.0%}" for p, s in shares.items()))


def test_the_tell_measures_catch_a_quiz_set_with_a_tell():
    """The measures themselves: a set where the right answer is always first and longest fails both."""
    telling = parse_quizzes("\n".join(
        f"<quiz>\nQ{n}?\n- [x] the long right answer\n- [ ] short\n> no\n- [ ] wrong\n> no\n\nWhy.\n</quiz>"
        for n in range(5)), "fake.md")
    assert longest_share(telling) == 1.0
    assert longest_share(telling, min) == 0.0
    assert max(position_shares(telling).values()) == 1.0
    varied = parse_quizzes(
        "<quiz>\nQ?\n- [ ] `(3, 16, 3, 3)`\n- [x] `(16, 3, 3, 3)`\n- [ ] `(16, 3, 9)`\n\nWhy.\n</quiz>\n"
        "<quiz>\nQ?\n- [ ] a longer wrong \\*answer\\*\n- [ ] no\n- [x] **yes**, right\n\nWhy.\n</quiz>", "fake.md")
    assert [longest_pick_wins(q) for q in varied] == [0.5, 0.0]
    assert position_shares(varied) == {2: 0.5, 3: 0.5}


@pytest.mark.parametrize("quizzes", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_the_right_answer_is_not_a_tell_by_length(quizzes):
    share = longest_share(quizzes)
    longest = [q.id for q in quizzes if longest_pick_wins(q) == 1.0]
    assert share <= MAX_SHARE, f"{tells_report(quizzes)}; right answer longest in: {longest}"
    # overcorrecting (padding every wrong option) would make "pick the shortest" the tell
    assert longest_share(quizzes, min) <= MAX_SHARE, tells_report(quizzes)


def test_units_count_han_characters_and_ascii_words():
    assert units("把 `model.fc` 换成 nn.Linear(512, 5)") == 1 + 1 + 2 + 1 + 1 + 1
    assert units("It fails: the last dimension (7) does not match") == 9
    assert units("，。：（）") == 0


def test_the_strict_and_hedge_measures_catch_their_tells():
    quizzes = parse_quizzes(
        "<quiz>\nQ?\n- [ ] 短\n> 不对\n- [x] 通常是这个更长的答案\n- [ ] 中等长度\n> 不对\n\nWhy.\n</quiz>\n"
        "<quiz>\nQ?\n- [x] `torch.cuda.is_available()` 返回 `True`\n- [ ] 在这台机器上导入没有报错\n> 不对\n\n"
        "Why.\n</quiz>", "fake.zh.md")
    long_code, = [q for q in quizzes if q.number == 2]
    assert [strictly(q) for q in quizzes] == [True, True]
    assert strictly(long_code, units, min)  # full of code: longest in characters, shortest in units
    assert [hedged_right_only(q, HEDGES["zh"]) for q in quizzes] == [True, False]
    assert language(quizzes) == "zh"
    assert not hedged_right_only(parse_quizzes(
        "<quiz>\nQ?\n- [x] It is usually right\n- [ ] It may be wrong\n> no\n\nWhy.\n</quiz>", "f.md")[0], HEDGES["en"])


@pytest.mark.parametrize("measure", MEASURES, ids=str)
@pytest.mark.parametrize("quizzes", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_the_right_answer_is_rarely_strictly_the_longest_or_the_shortest(quizzes, measure):
    """Per edition: neither extreme of length may point at the right answer in many questions."""
    key = MEASURES[measure]
    longest = [q.id for q in quizzes if strictly(q, key)]
    shortest = [q.id for q in quizzes if strictly(q, key, min)]
    assert len(longest) / len(quizzes) <= MAX_STRICTLY_LONGEST, \
        f"{tells_report(quizzes)}; right answer strictly longest in {measure}: {longest}"
    assert len(shortest) / len(quizzes) <= MAX_STRICTLY_SHORTEST, \
        f"{tells_report(quizzes)}; right answer strictly shortest in {measure}: {shortest}"


@pytest.mark.parametrize("quizzes", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_hedge_words_do_not_mark_the_right_answer(quizzes):
    """An option that alone says 'usually' (通常, 可能, 或者 ...) reads as the careful, right one."""
    hedge = HEDGES[language(quizzes)]
    marked = [q.id for q in quizzes if hedged_right_only(q, hedge)]
    assert len(marked) / len(quizzes) <= MAX_HEDGED, f"only the right options hedge in: {marked}"


@pytest.mark.parametrize("quizzes", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_the_right_answer_is_not_a_tell_by_position(quizzes):
    shares = position_shares(quizzes)
    assert max(shares.values()) <= MAX_SHARE, tells_report(quizzes)


@pytest.mark.parametrize("quizzes", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_every_wrong_option_says_why_it_is_wrong(quizzes):
    silent = [f"{q.id}: {o.visible!r}" for q in quizzes for o in q.options if not o.right and not o.feedback]
    assert not silent, "wrong options without a '>' feedback line:\n" + "\n".join(silent)


@pytest.mark.parametrize("quizzes", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_options_of_a_question_are_distinct(quizzes):
    for quiz in quizzes:
        seen = [o.visible for o in quiz.options]
        assert len(set(seen)) == len(seen), f"{quiz.id} repeats an option: {seen}"


# -- predicted values ---------------------------------------------------------------------
def evaluate(code: str) -> str:
    """What the snippet's last line shows in a REPL: its repr, or the name of what it raises."""
    tree = ast.parse(code)
    last = tree.body[-1]
    assert isinstance(last, ast.Expr), "a prediction snippet must end with the expression to predict"
    namespace: dict = {}
    try:
        exec(compile(ast.Module(tree.body[:-1], type_ignores=[]), "<quiz>", "exec"), namespace)
        return repr(eval(compile(ast.Expression(last.value), "<quiz>", "eval"), namespace))
    except Exception as err:  # noqa: BLE001 - an exception is a value the reader predicts
        return type(err).__name__


def predicted(option: Option) -> str:
    """The value an option predicts: its first code span."""
    found = CODE_SPAN.search(option.text)
    assert found, f"an option of a prediction question must show the value in `code`: {option.text!r}"
    return found.group(1)


PREDICTIONS = [q for q in ENGLISH + CHINESE if q.snippet is not None]


@pytest.mark.parametrize("quiz", PREDICTIONS, ids=lambda q: q.id)
def test_prediction_question_marks_what_the_code_gives(quiz):
    result = evaluate(quiz.snippet)
    right = [predicted(o) for o in quiz.options if o.right]
    wrong = [predicted(o) for o in quiz.options if not o.right]
    assert right == [result], f"the snippet gives {result}; the option marked right says {right}"
    assert result not in wrong


@pytest.mark.parametrize("quiz", PREDICTIONS, ids=lambda q: q.id)
def test_a_snippet_has_its_own_line_anchors(quiz):
    """mkdocs-quiz renders each question on its own, so its code blocks all count from 0 and
    their line anchors (``__codelineno-0-1``) would repeat the page's first block's ids;
    an id on the fence names them after the question instead."""
    info = SNIPPET.search(quiz.question).group("info").strip()
    wanted = f"{{#question-{quiz.number}-code}}"
    assert info == wanted, f"{quiz.id}: open the snippet with ```python {wanted}"


def test_several_chapters_ask_to_predict_from_code():
    chapters = {q.page for q in PREDICTIONS if not q.page.endswith(".zh.md")}
    assert len(chapters) >= 5, sorted(chapters)


def test_evaluate_shows_values_and_errors_as_a_reader_sees_them():
    assert evaluate("import torch\nx = torch.zeros(4, 1) - torch.ones(4)\nx.shape") == "torch.Size([4, 4])"
    assert evaluate("import torch\ntorch.ones(2) @ torch.ones(3)") == "RuntimeError"
