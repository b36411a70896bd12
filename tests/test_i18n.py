"""The message catalog (grader/locale) and grader.i18n: complete, current, shipped as compiled,
and English exactly as the f-strings made it."""

from __future__ import annotations

import ast
import importlib.util
import io
import re
from pathlib import Path

import pytest
import torch
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from grader import i18n, paths
from grader.checks.toolkit import applied_to, model_on_images
from grader.expect import CheckFailed, expect_close, expect_shape, fail
from grader.i18n import Message, check_title, localized, placeholders, t
from grader.report import CheckResult, Report
from grader.sandbox.inside import failures
from grader.sandbox.sentences import TEMPLATES, rank_error, recognised

ROOT = paths.KIT_ROOT
POT = ROOT / "grader/locale/grader.pot"
PO = ROOT / "grader/locale/zh/LC_MESSAGES/grader.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"t": None, "N_": None}

# msgids whose Chinese may equal the English, each with its reason
SAME_IN_CHINESE = {
    "rank {rank}": "'rank' is the term the Chinese edition keeps (torch.distributed's own word)",
}


def catalog(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def po():
    return catalog(PO)


def entries(cat) -> dict[str, object]:
    return {m.id: m for m in cat if m.id}


# (a) every msgid translated, neither empty nor fuzzy
def test_every_message_has_a_chinese_translation(po):
    untranslated = [m.id for m in entries(po).values() if not m.string or m.fuzzy]
    assert not untranslated, f"{len(untranslated)} msgid(s) without a Chinese translation: {untranslated[:5]}"


# (b) the same placeholders, format specs included
def test_placeholders_are_the_same_in_both_languages(po):
    wrong = {m.id: m.string for m in entries(po).values() if placeholders(m.id) != placeholders(m.string)}
    assert not wrong


# (c) a translation, not a copy
def test_chinese_is_not_a_copy_of_the_english(po):
    copies = [m.id for m in entries(po).values() if m.string == m.id and m.id not in SAME_IN_CHINESE]
    assert not copies
    assert all(not re.search("[\u4e00-\u9fff]", m.string) for m in entries(po).values() if m.id in SAME_IN_CHINESE)


# (d) the .pot holds what the sources say, and the .po everything the .pot holds
def test_the_template_is_up_to_date_with_the_sources():
    method_map = extraction_map()
    extracted = {message if isinstance(message, str) else message[0]
                 for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS)}
    assert extracted == set(entries(catalog(POT))), "re-run pybabel extract (docs/guides/maintainer.md, section 9)"


def extraction_map() -> list[tuple[str, str]]:
    """babel.cfg's (pattern, method) pairs, as ``pybabel extract -F babel.cfg`` reads them."""
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        return parse_mapping_cfg(config)[0]


def extracted_by_babel(path: Path) -> bool:
    """Whether babel.cfg's first matching pattern extracts messages from ``path`` (ignore: no)."""
    from babel.util import pathmatch

    relative = path.relative_to(ROOT).as_posix()
    return next((method != "ignore" for pattern, method in extraction_map() if pathmatch(pattern, relative)), False)


def assigns_t(function: ast.FunctionDef) -> bool:
    return any(isinstance(v, ast.Name) and v.id == "t" and isinstance(v.ctx, ast.Store) for v in ast.walk(function))


def test_every_t_call_has_a_literal_template_that_babel_extracted():
    """Babel misses a t() nested in another call's arguments inside t(); ast does not."""
    ids, literal_ids = set(entries(catalog(POT))), set()
    for path in (ROOT / "grader").rglob("*.py"):
        if not extracted_by_babel(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        shadowed = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and assigns_t(f)
                    for n in ast.walk(f)}  # a probe's own `t = ...` (a transform), not the keyword
        for node in ast.walk(tree):
            if id(node) in shadowed:
                continue
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS:
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                    f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}() needs a string literal"
                literal_ids.add(first.value)
    assert literal_ids <= ids, sorted(literal_ids - ids)[:5]


def test_the_chinese_catalog_holds_every_msgid_of_the_template(po):
    assert set(entries(catalog(POT))) <= set(entries(po)), "run pybabel update (maintainer guide, section 9)"


# (e) the shipped .mo is the .po compiled
def test_the_shipped_mo_matches_the_po(po):
    compiled = io.BytesIO()
    write_mo(compiled, po)
    compiled.seek(0)
    with open(MO, "rb") as f:
        shipped = read_mo(f)
    contents = lambda cat: {m.id: m.string for m in cat if m.id}  # noqa: E731
    assert contents(shipped) == contents(read_mo(compiled)), "run pybabel compile (maintainer guide, section 9)"


# (f) English exactly as the f-strings made it
def failure(call) -> CheckFailed:
    with pytest.raises(CheckFailed) as info:
        call()
    return info.value


shapes = st.lists(st.integers(0, 70), min_size=0, max_size=4).map(tuple)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 500), got=shapes, hint=st.sampled_from([None, "flatten with x.flatten(1)", t("a hint")]))
def test_expect_shape_says_what_the_f_string_said(n, got, hint):
    what = model_on_images("Net()", n)
    message = failure(lambda: expect_shape(torch.zeros(got), (n, 10), what, hint)).message
    old = f"Net()(x) for x of shape ({n}, 1, 28, 28) has shape {got}, expected {(n, 10)}"
    assert str(message) == (f"{old} — {hint}" if hint else old) and isinstance(message, Message)
    assert Message.from_dict(message.to_dict()) == message  # survives JSON


@settings(max_examples=60, deadline=None)
@given(value=st.floats(-1e6, 1e6, allow_nan=False), scale=st.floats(1e-3, 1e3), n=st.integers(2, 9))
def test_expect_close_says_what_the_f_string_said(value, scale, n):
    expected = torch.full((n,), value, dtype=torch.float64)
    actual = expected.clone()
    actual[n // 2] += scale * (1 + abs(value))
    what = applied_to("f(x)", (n,))
    message = failure(lambda: expect_close(actual, expected, what, rtol=0, atol=0)).message
    error = float((actual - expected).abs().max())
    assert str(message) == (f"f(x) for x of shape {(n,)} is off by up to {error:.3g} at index {(n // 2,)} "
                            f"(got {actual[n // 2].item():.6g}, expected {expected[n // 2].item():.6g}; "
                            f"1 of {n} values differ)")


@given(total=st.integers(0, 10**9), budget=st.integers(0, 10**9))
def test_format_specs_survive(total, budget):
    message = t("Net() has {total:,} parameters; the budget is {budget:,}", total=total, budget=budget)
    assert message == f"Net() has {total:,} parameters; the budget is {budget:,}"
    assert "{" not in message.render("zh") and f"{total:,}" in message.render("zh")


def test_values_keep_what_an_f_string_gave_them():
    scalar = torch.tensor(2.5)
    assert t("{v}", v=scalar) == f"{scalar}" and t("{v}", v=torch.float32) == f"{torch.float32}"
    assert t("{a} and {b!r}", a=(1, 2), b="cpu") == f"{(1, 2)} and {'cpu'!r}"


def test_a_report_carries_its_messages_through_json_but_not_into_the_public_json():
    message = t("{message} — {hint}", message=model_on_images("Net()", 3), hint=t("a hint"))
    report = Report("exercise-04", 1, "cpu", "none", [CheckResult("samples_do_not_mix[cpu]", False, 0, 2, message,
                                                                    "failed")])
    public = report.to_dict()
    assert "message_i18n" not in public["tests"][0] and public["tests"][0]["message"] == str(message)
    again = Report.from_dict(report.to_dict(timings=True, localizable=True))
    assert again.tests[0].message.render("zh") == message.render("zh") != str(message)
    assert again.to_json() == report.to_json()


# (g) Chinese with no English words left outside identifiers and values
def english_words_left():
    spec = importlib.util.spec_from_file_location("english_words_left", ROOT / "scripts/english_words_left.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COMPOSED = [
    failure(lambda: expect_shape(torch.zeros(49, 10), (64, 10), model_on_images("Net()", 64),
                                 t("flatten with x.flatten(1) so the batch dimension survives"))).message,
    failure(lambda: expect_close(torch.ones(3), torch.zeros(3), t("the gradient of {name}", name="fc1.weight"),
                                 hint=t("is a layer's output discarded?"))).message,
    failure(lambda: fail(t("your code: {error}", error=recognised("called exit(3); code under test must not exit "
                                                                    "the process [net.py:3 in <module>]")))).message,
    t("not scored until {checks} pass: avoiding a mistake earns points only in code that works",
      checks=i18n.join_and(["a", "b", "c"])),
    rank_error("setup(0, 2, device='cpu') raised MemoryError: the sandbox's memory limit was reached [ddp.py:9 in "
               "setup]"),
]


@pytest.mark.parametrize("message", COMPOSED, ids=range(len(COMPOSED)))
def test_chinese_leaves_no_english_words_outside_code_and_values(message):
    assert isinstance(message, Message)
    assert english_words_left().words_left(message) == []
    assert re.search("[\u4e00-\u9fff]", message.render("zh"))


def test_every_template_renders_in_chinese_without_english_words(po):
    words = english_words_left()
    left = {m.id: words.english_words(re.sub(r"\{[^{}]*\}", words.VALUE, m.string)) for m in entries(po).values()}
    assert not {k: v for k, v in left.items() if v}


# the sandbox's own sentences, and the names of checks
@pytest.mark.parametrize("exc", [SystemExit(2), MemoryError(), SyntaxError("bad", ("net.py", 3, 1, "x"))])
def test_the_inside_sentences_are_recognised(exc):
    message, _ = failures.describe(exc, "/nowhere")
    found = recognised(message)
    assert isinstance(found, Message) and found.template in TEMPLATES and found == message


def test_a_learners_own_exception_text_stays_as_it_is():
    assert type(recognised("ValueError: called it")) is str


def test_check_titles_and_localized():
    assert check_title("output_shape_for_any_batch_size[cuda]", "en") == "output shape for any batch size [cuda]"
    assert check_title("output_shape_for_any_batch_size[cuda]", "zh").endswith(" [cuda]")
    report = Report("exercise-04", 1, "cpu", "none", [CheckResult("parameter_budget", True, 1, 1, "")])
    assert localized(report, "en") == report
    assert localized(report, "zh").tests[0].name == check_title("parameter_budget", "zh") != "parameter_budget"
