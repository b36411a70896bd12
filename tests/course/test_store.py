"""The batch's resumable record: one small JSON file per graded submission, written atomically."""

import json

from grader.course.store import Store, atomic_write_text

REPORT = {"seed": 3, "isolation": "bubblewrap", "error": None, "tests": [
    {"name": "shape[cpu]", "passed": True, "points": 2.0, "max_points": 2.0, "message": "", "status": "passed"},
    {"name": "logits[cpu]", "passed": False, "points": 0.0, "max_points": 1.0, "status": "failed",
     "message": "all | logits >= 0\nsecond line"},
]}


def test_records_round_trip_and_damage_means_grade_again(tmp_path):
    store = Store(tmp_path)
    assert store.load("alice", "exercise-04") is None
    store.save("alice", "exercise-04", {"submission_sha": "a", "report": REPORT})
    assert store.load("alice", "exercise-04")["report"] == REPORT
    assert list(store.records("alice")) == ["exercise-04"]
    (tmp_path / "alice" / "exercise-04.json").write_text('{"submission_sha": "a", "rep')  # torn by hand
    assert store.load("alice", "exercise-04") is None
    assert not list(tmp_path.rglob("*.tmp"))  # atomic writes leave no temporary files behind


def test_atomic_write_replaces_whole_files(tmp_path):
    target = tmp_path / "deep" / "file.json"
    atomic_write_text(target, json.dumps({"v": 1}))
    atomic_write_text(target, json.dumps({"v": 2}))
    assert json.loads(target.read_text()) == {"v": 2}
    assert [p.name for p in target.parent.iterdir()] == ["file.json"]


def test_settings_are_kept_from_the_first_run(tmp_path):
    store = Store(tmp_path)
    assert store.settings({"seed": 1}) == {"seed": 1}
    assert store.settings({"seed": 2}) == {"seed": 1}
