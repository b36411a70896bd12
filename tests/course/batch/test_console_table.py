"""What `grader batch` prints at the end: the class's table, the totals line, where the results are."""

from types import SimpleNamespace

from rich.console import Console

from grader.course.batch import console_table
from grader.course.batch.grading import Summary
from grader.course.store import Store

REPORT = {"tests": [{"name": "a", "passed": True, "points": 2.0}, {"name": "b", "passed": False, "points": 0.0}]}


def shown(outcome) -> str:
    console = Console(record=True, width=200)
    console_table.show(console, outcome)
    return console.export_text()


def test_table_totals_and_closing_line(tmp_path):
    store = Store(tmp_path)
    store.save("ann", "exercise-04", {"report": REPORT, "max_score": 10})
    done = Summary(graded=1, kept=2, restored=1, crashed=1, wall_s=3.0, grading_s=[1.0, 2.0])
    text = shown(SimpleNamespace(summary=done, store=store, students=["ann", "ben"],
                                 items=["exercise-04", "exercise-06"], jobs=2, closing="Grades in x.csv"))
    assert "ann" in text and "2/10" in text and "–" in text
    assert ("graded 1, already recorded 2 (1 written back to the gradebook), 1 whose grading process died "
            "(scored 0) in 3.0 s with 2 job(s); 1.5 s per submission in its grader") in text
    assert text.rstrip().endswith("Grades in x.csv")


def test_nothing_found_prints_only_why():
    text = shown(SimpleNamespace(summary=None, store=None, students=[], items=["exercise-04"], jobs=1,
                                 closing="No submissions of ps1 under submitted/."))
    assert text.strip() == "No submissions of ps1 under submitted/."
