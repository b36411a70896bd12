"""Files the kit must never leave half-written: the learner's progress, the batch's records."""

import pytest

from grader.atomic_write import atomic_write_text, current_umask


def test_the_new_text_replaces_the_file_whole_and_folders_are_made(tmp_path):
    path = tmp_path / "records" / "alice" / "exercise-04.json"
    atomic_write_text(path, "first")
    atomic_write_text(path, "second, longer than the first")
    assert path.read_text(encoding="utf-8") == "second, longer than the first"
    assert [p.name for p in path.parent.iterdir()] == ["exercise-04.json"]


def test_a_write_that_fails_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "progress.json"
    atomic_write_text(path, '{"version": 1}')
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(path, "half \ud800 written")  # a lone surrogate cannot be encoded: the write fails
    assert path.read_text(encoding="utf-8") == '{"version": 1}'
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


def test_a_new_file_gets_the_umask_mode_and_a_rewritten_one_keeps_its_own(tmp_path):
    """Reports and course files are meant to be shared: not the 0600 of a temporary file."""
    fresh = tmp_path / "report.html"
    atomic_write_text(fresh, "a")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~current_umask()
    fresh.chmod(0o640)
    atomic_write_text(fresh, "b")
    assert fresh.stat().st_mode & 0o777 == 0o640 and fresh.read_text() == "b"
