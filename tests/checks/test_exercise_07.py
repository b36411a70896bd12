"""Exercise 07's hidden checks: the reference passes, the stub and wrong pipelines fail."""

from grader import paths

STUB = (paths.EXERCISES_DIR / "exercise-07" / "data.py").read_text()
REFERENCE = (paths.SOLUTIONS_DIR / "exercise-07" / "data.py").read_text()


def variant(old, new):
    assert old in REFERENCE
    return {"data.py": REFERENCE.replace(old, new)}


def test_reference_scores_full_marks(grade_files):
    report = grade_files("exercise-07")
    assert report.passed and report.score == report.max_score == 10


def test_untouched_stub_fails_with_its_todos(grade_files):
    report = grade_files("exercise-07", {"data.py": STUB})
    assert not report.passed and report.score == 0
    assert "NotImplementedError: TODO: return the number of samples" in report.by_check()["length_and_items"].message


def test_shuffling_with_the_global_rng_is_caught(grade_files):
    checks = grade_files("exercise-07", variant(", generator=generator)", ")")).by_check()
    assert checks["every_sample_once_per_epoch"].passed
    assert not checks["seeded_shuffle_order"].passed
    assert "changed the global random state" in checks["seeded_shuffle_order"].message


def test_dropping_the_last_batch_loses_samples(grade_files):
    checks = grade_files("exercise-07", variant("shuffle=True,", "shuffle=True, drop_last=True,")).by_check()
    assert not checks["every_sample_once_per_epoch"].passed
    assert "never appeared (drop_last=True" in checks["every_sample_once_per_epoch"].message
    assert not checks["batches_have_the_right_shapes"].passed


def test_normalizing_unscaled_pixels_is_named(grade_files):
    checks = grade_files("exercise-07", variant("scale=True)", "scale=False)")).by_check()
    assert not checks["normalization"].passed
    assert "normalized from 0..255, not from 0..1" in checks["normalization"].message
    assert checks["channel_statistics"].passed


def test_missing_augmentation_is_caught(grade_files):
    checks = grade_files("exercise-07", variant("[v2.RandomHorizontalFlip(p=0.5)] if train else []", "[]")).by_check()
    assert checks["normalization"].passed
    assert not checks["augmentation_changes_images_keeps_labels"].passed
    assert "equal the plain normalized ones" in checks["augmentation_changes_images_keeps_labels"].message
