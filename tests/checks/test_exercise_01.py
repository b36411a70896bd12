"""Exercise 01's hidden checks: the stub and wrong answers fail, each with the reason it names.

That the reference earns full marks and the stub nothing: test_references.py."""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-01" / "tensors.py").read_text()


def test_untouched_stub_names_the_layout_and_the_unwritten_functions(graded):
    checks = graded("exercise-01", "stub").by_check()
    assert "has shape (2, 2, 3, 3)" in checks["random_images_layout"].message
    assert "(N, C, H, W)" in checks["random_images_layout"].message
    for name in ("flatten_keeps_the_batch", "prepare_batch_casts_scales_and_moves", "blend_does_not_wrap_around"):
        assert "raised NotImplementedError" in checks[name].message
        assert "tensors.py:" in checks[name].message


def test_view_fails_on_non_contiguous_input(grade_files):
    viewing = replaced(REFERENCE, ("return x.flatten(1)", "return x.view(x.shape[0], -1)"))
    checks = grade_files("exercise-01", {"tensors.py": viewing}).by_check()
    assert checks["flatten_keeps_the_batch"].passed
    message = checks["flatten_handles_non_contiguous_input"].message
    assert not checks["flatten_handles_non_contiguous_input"].passed
    assert "raised RuntimeError: view size is not compatible" in message and "reshape()" in message


def test_uint8_overflow_and_column_indexing_are_caught(grade_files):
    wrong = replaced(REFERENCE, ("return (a.to(torch.float32) + b.to(torch.float32)) / 2", "return (a + b) / 2"),
                     ("return logits[rows, labels]", "return logits[:, labels]"))
    checks = grade_files("exercise-01", {"tensors.py": wrong}).by_check()
    blend = checks["blend_does_not_wrap_around"].message
    assert not checks["blend_does_not_wrap_around"].passed
    assert "is off by up to 128" in blend and "wraps around at 256" in blend
    scores = checks["class_scores_pairs_rows_with_labels"].message
    assert not checks["class_scores_pairs_rows_with_labels"].passed
    assert "has shape (" in scores and "pair each row i with labels[i]" in scores
    assert checks["prepare_batch_casts_scales_and_moves"].passed


def test_unscaled_pixels_and_int32_labels_are_caught(grade_files):
    unscaled = replaced(REFERENCE, (".div(255)", ""))
    checks = grade_files("exercise-01", {"tensors.py": unscaled}).by_check()
    message = checks["prepare_batch_casts_scales_and_moves"].message
    assert "is off by up to" in message and "divide by 255" in message
    int32 = replaced(REFERENCE, ("labels.to(device=device, dtype=torch.int64)", "labels.to(device)"))
    checks = grade_files("exercise-01", {"tensors.py": int32}).by_check()
    message = checks["prepare_batch_casts_scales_and_moves"].message
    assert "has dtype torch.int32, expected torch.int64" in message and "labels.long()" in message
