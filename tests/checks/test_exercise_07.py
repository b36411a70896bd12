"""Exercise 07's hidden checks: the stub and wrong pipelines fail, each with the reason it names.

That the reference earns full marks and the stub nothing: test_references.py."""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-07" / "data.py").read_text()


def variant(old, new):
    return {"data.py": replaced(REFERENCE, (old, new))}


def test_untouched_stub_fails_with_its_todos(graded):
    message = graded("exercise-07", "stub").by_check()["length_and_items"].message
    assert "NotImplementedError: TODO: return the number of samples" in message


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
