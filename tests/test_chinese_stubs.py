"""The Chinese starter code: ``exercises/exercise-NN/<module>.zh.py`` beside every stub.

A Chinese learner reads the stub in Chinese (the Chinese exercise pages show it) and grades it
under the English file name, so the two files must be one program in two languages:

* parsed with ``ast``, with every docstring (module, class, function) set aside, they are the same
  tree (``#`` comments are never in the tree): same names, numbers, deliberate bugs, and every
  other string byte for byte, ``raise NotImplementedError("...")`` included, since a check's
  message quotes what the learner's code raised;
* every piece of code is on the same line, because check messages and tracebacks name
  ``file:line`` (the docstrings and comments of the Chinese stub take as many lines as the
  English ones);
* its words are Chinese: every docstring, and every comment that says more than ``TODO`` or a
  ``noqa``, with the site's vocabulary and typography (tests/docs/test_vocabulary.py,
  tests/docs/test_chinese_style.py).

``grader dev check`` grades each Chinese stub too and requires the English stub's report.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from pathlib import Path

import pytest

from devtools import kit_files
from grader import paths
from grader.registry import chinese_stub_name, load_registry

HAN = re.compile("[\u4e00-\u9fff]")
DOCSTRING_STANDIN = "…"
STUBS = [(ex.id, name) for ex in load_registry() for name in ex.files]


def stub_id(stub: tuple[str, str]) -> str:
    return "/".join(stub)


def sources(exercise_id: str, name: str) -> tuple[Path, str, Path, str]:
    english = paths.EXERCISES_DIR / exercise_id / name
    chinese = english.with_name(chinese_stub_name(name))
    if not chinese.is_file():
        pytest.fail(f"exercises/{exercise_id}/{chinese.name} is missing: the Chinese edition of {name}")
    return english, english.read_text(encoding="utf-8"), chinese, chinese.read_text(encoding="utf-8")


def docstring_nodes(tree: ast.AST) -> list[ast.Constant]:
    """The docstrings of the module, its classes and its functions, in tree order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.append(first.value)
    return found


def code_tree(source: str, filename: str) -> ast.Module:
    """``source`` parsed, each docstring replaced by a stand-in ending where it starts."""
    tree = ast.parse(source, filename)
    for doc in docstring_nodes(tree):
        doc.value = DOCSTRING_STANDIN
        for node in (doc, *[n for n in ast.walk(tree) if isinstance(n, ast.Expr) and n.value is doc]):
            node.end_lineno, node.end_col_offset = node.lineno, node.col_offset
    return tree


def first_difference(english: ast.AST, chinese: ast.AST, names: tuple[str, str]) -> str:
    """Where two trees that differ first differ: the innermost statement, with its line in each file."""
    def statements(node: ast.AST) -> list[ast.stmt]:
        return [child for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt)]

    for a, b in zip(statements(english), statements(chinese)):
        if ast.dump(a) != ast.dump(b):
            return first_difference(a, b, names)
    if not isinstance(chinese, ast.stmt):  # the module: a statement more or fewer at the end
        en, zh = len(statements(english)), len(statements(chinese))
        return f"{zh} top-level statements where {names[0]} has {en}"
    shown = [ast.unparse(node).splitlines()[0][:70] for node in (english, chinese)]
    return (f"line {chinese.lineno}: {shown[1]!r} where {names[0]} has {shown[0]!r} "
            f"(line {english.lineno})")


def placed(tree: ast.AST) -> list[tuple[tuple[int, int, int | None, int | None], ast.AST]]:
    return [((n.lineno, n.col_offset, n.end_lineno, n.end_col_offset), n)
            for n in ast.walk(tree) if hasattr(n, "lineno")]


def comments(source: str) -> list[tuple[int, str]]:
    """(line, text after the ``#``) of every comment."""
    return [(token.start[0], token.string.lstrip("#").strip())
            for token in tokenize.generate_tokens(io.StringIO(source).readline) if token.type == tokenize.COMMENT]


def says_nothing_to_translate(comment: str) -> bool:
    """A comment that is only a marker: ``TODO``, a ``noqa: F401`` for ruff."""
    return not re.sub(r"\bnoqa\b(:\s*[A-Z]+\d+(,\s*[A-Z]+\d+)*)?|\bTODO\b|[\W_]", "", comment)


# -- every stub has its Chinese edition, and it is the same program ---------------------------
def test_every_registry_file_is_covered():
    assert len(STUBS) >= 10 and {"exercise-04", "exercise-10"} <= {ex for ex, _ in STUBS}


@pytest.mark.parametrize("stub", STUBS, ids=stub_id)
def test_chinese_stub_is_the_same_code(stub):
    english, en_source, chinese, zh_source = sources(*stub)
    where = f"exercises/{stub[0]}/{chinese.name}"
    en_tree, zh_tree = code_tree(en_source, english.name), code_tree(zh_source, chinese.name)
    if ast.dump(en_tree) != ast.dump(zh_tree):
        pytest.fail(f"{where} is not the same code as {english.name} (only docstrings and comments may differ): "
                    f"{first_difference(en_tree, zh_tree, (english.name, chinese.name))}")
    for (en_at, node), (zh_at, _) in zip(placed(en_tree), placed(zh_tree)):
        if en_at != zh_at:
            shown = ast.unparse(node).splitlines()[0] if not isinstance(node, ast.Constant) else repr(node.value)
            pytest.fail(f"{where}:{zh_at[0]}: {shown[:60]!r} is on line {zh_at[0]} (column {zh_at[1]}), "
                        f"in {english.name} on line {en_at[0]} (column {en_at[1]}): give each docstring and "
                        "comment as many lines as the English one, since check messages name file:line")


@pytest.mark.parametrize("stub", STUBS, ids=stub_id)
def test_chinese_stub_is_in_chinese(stub):
    english, en_source, chinese, zh_source = sources(*stub)
    where = f"exercises/{stub[0]}/{chinese.name}"
    assert zh_source != en_source, f"{where} is a copy of {english.name}"
    zh_docs = [d.value for d in docstring_nodes(ast.parse(zh_source))]
    assert zh_docs and HAN.search(zh_docs[0]), f"{where}: the module docstring (the exercise's goal) is not Chinese"
    english_left = [d.splitlines()[0] for d in zh_docs if not HAN.search(d)]
    assert not english_left, f"{where}: docstrings not translated: {english_left}"
    untranslated = [f"line {n}: # {text}" for n, text in comments(zh_source)
                    if not HAN.search(text) and not says_nothing_to_translate(text)]
    assert not untranslated, f"{where}: comments not translated: {untranslated}"


def _docs_rules():
    """The site's Chinese rules (tests/docs): vocabulary, typography, retired colloquialisms."""
    folder = str(Path(__file__).parent / "docs")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import test_chinese_style
    import test_vocabulary

    import zh_text

    return test_chinese_style, test_vocabulary, zh_text


@pytest.mark.parametrize("stub", STUBS, ids=stub_id)
def test_chinese_stub_follows_the_site_vocabulary_and_style(stub):
    """Docstrings are read as Markdown prose (``code`` spans aside), comments line by line."""
    style, vocabulary, zh_text = _docs_rules()
    _, _, chinese, zh_source = sources(*stub)
    texts = [(doc.lineno, zh_text.prose(doc.value)) for doc in docstring_nodes(ast.parse(zh_source))]
    texts += [(n, zh_text.prose(text)) for n, text in comments(zh_source)]
    problems = []
    for first_line, text in texts:
        for offset, line in enumerate(text.split("\n")):
            found = style.line_problems(line)
            found += [f"'{variant}' -> use '{chosen}'"
                      for _, variant, chosen in vocabulary.findings(line, vocabulary.VOCABULARY)
                      + vocabulary.findings(line, vocabulary.PROSE_VOCABULARY)]
            found += [f"retired colloquialism: {p}" for p in style.COLLOQUIALISMS if p in line]
            problems += [f"line {first_line + offset}: {p}" for p in found]
    assert problems == [], f"exercises/{stub[0]}/{chinese.name}: " + "; ".join(problems)


def test_the_registry_check_wants_a_chinese_stub_beside_each_stub_and_none_in_solutions(tmp_path, monkeypatch,
                                                                                        registry):
    """``grader dev check``'s "files match the registry" (grader/kit_files.py)."""
    ex = registry.get("exercise-04")
    for root in ("exercises", "solutions"):
        (tmp_path / root / ex.id).mkdir(parents=True)
        (tmp_path / root / ex.id / "net.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(paths, "EXERCISES_DIR", tmp_path / "exercises")
    monkeypatch.setattr(paths, "SOLUTIONS_DIR", tmp_path / "solutions")
    assert kit_files.problems(registry, {ex.id}) == ["exercises/exercise-04/net.zh.py is missing"]
    for root in ("exercises", "solutions"):
        (tmp_path / root / ex.id / "net.zh.py").write_text("", encoding="utf-8")
    assert kit_files.problems(registry, {ex.id}) == [
        "solutions/exercise-04/net.zh.py is not listed in the registry's files"]


# -- the rule itself, on made-up stubs --------------------------------------------------------
ENGLISH = '''"""Exercise 99 - goal."""

import torch


def f(x):
    """Double x."""
    # TODO: write it
    raise NotImplementedError("f is not written yet")
'''
CHINESE = ENGLISH.replace("Exercise 99 - goal.", "练习 99 — 目标。").replace("Double x.", "把 x 翻倍。") \
    .replace("# TODO: write it", "# TODO: 写出它")


def same_code(english: str, chinese: str) -> bool:
    en, zh = code_tree(english, "f.py"), code_tree(chinese, "f.zh.py")
    return ast.dump(en) == ast.dump(zh) and [p for p, _ in placed(en)] == [p for p, _ in placed(zh)]


@pytest.mark.parametrize("chinese, same", [
    (CHINESE, True),
    (CHINESE.replace("练习 99 — 目标。", "练习 99 — 目标：\n写出 f。"), False),  # the code moves down a line
    (CHINESE.replace("def f(x)", "def g(x)"), False),  # an identifier
    (CHINESE.replace("f is not written yet", "f 还没有写"), False),  # a string the checks can quote
    (CHINESE.replace('    """把 x 翻倍。"""\n', ""), False),  # a docstring dropped
    (CHINESE.replace("# TODO: 写出它", "# TODO: 写出它，\n    # 返回 2 * x"), False),  # a comment a line longer
    (CHINESE.replace("# TODO: 写出它", "# TODO: 写出它，返回 2 * x"), True),  # a comment, same lines
])
def test_the_rule_on_made_up_stubs(chinese, same):
    assert same_code(ENGLISH, chinese) is same


def test_marker_comments_need_no_translation():
    assert says_nothing_to_translate("TODO")
    assert says_nothing_to_translate("noqa: F401")
    assert not says_nothing_to_translate("noqa: F401  (train_ddp needs it)")
    assert not says_nothing_to_translate("TODO: write it")
