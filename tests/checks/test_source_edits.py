"""The helper every check test builds its wrong answers with: an edit that misses fails the test."""

import pytest

from source_edits import EditMissed, replaced

SOURCE = "def f(x):\n    return x.flatten(1)\n"


def test_each_pair_is_applied_in_turn():
    assert replaced(SOURCE, ("flatten(1)", "view(-1)"), ("view(-1)", "reshape(-1)")) == \
        "def f(x):\n    return x.reshape(-1)\n"


def test_an_edit_whose_text_is_absent_fails_instead_of_returning_the_reference():
    with pytest.raises(EditMissed, match=r"expected 1 occurrence\(s\) of 'x.view\(-1\)' in the source, found 0"):
        replaced(SOURCE, ("x.view(-1)", "x.flatten(1)"))


def test_a_later_pair_that_misses_fails_too():
    with pytest.raises(EditMissed):
        replaced(SOURCE, ("flatten(1)", "view(-1)"), ("flatten(1)", "reshape(-1)"))


def test_an_edit_that_hits_more_places_than_meant_fails_unless_counted():
    twice = SOURCE + SOURCE
    with pytest.raises(EditMissed, match="found 2"):
        replaced(twice, ("flatten(1)", "view(-1)"))
    assert replaced(twice, ("flatten(1)", "view(-1)"), count=2).count("view(-1)") == 2

