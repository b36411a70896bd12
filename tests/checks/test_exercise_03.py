"""Exercise 03's hidden checks: the stub and wrong answers fail, each with the reason it names.

That the reference earns full marks and the stub nothing: test_references.py."""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-03" / "shapes.py").read_text()


def test_untouched_stub_names_each_formula_it_gets_wrong(graded):
    checks = graded("exercise-03", "stub").by_check()
    assert "raised NotImplementedError" in checks["conv_formula_matches_conv2d"].message
    assert "expected ValueError" in checks["conv_formula_rejects_kernels_that_do_not_fit"].message
    assert "article_flat_features(28) returned 4096" in checks["article_flat_features"].message
    assert "3136 features" in checks["article_flat_features"].message
    same = checks["same_conv_keeps_height_and_width"].message
    assert "same_conv(" in same and "expected (" in same and "(span - 1) // 2" in same
    assert "raised NotImplementedError" in checks["conv_between_maps_the_shapes"].message


def test_ignored_dilation_and_a_stride_defaulting_to_one_are_caught(grade_files):
    wrong = replaced(REFERENCE,
                     ("    span = _span(kernel, dilation)\n", "    span = kernel\n"),
                     ("stride = kernel if stride is None else stride", "stride = 1 if stride is None else stride"),
                     ("padding=dilation * (kernel_size - 1) // 2,", "padding=kernel_size // 2,"))
    checks = grade_files("exercise-03", {"shapes.py": wrong}).by_check()
    conv = checks["conv_formula_matches_conv2d"].message
    assert "but nn.Conv2d produces" in conv and "every wrong case has dilation > 1" in conv
    assert "returned" in checks["conv_formula_rejects_kernels_that_do_not_fit"].message
    pool = checks["pool_formula_matches_maxpool2d"].message
    assert "but nn.MaxPool2d produces" in pool and "stride defaults to its kernel size, not 1" in pool
    assert "same_conv(" in checks["same_conv_keeps_height_and_width"].message
    assert checks["conv_between_maps_the_shapes"].passed


def test_naive_ceil_mode_and_a_shrink_only_conv_between_are_caught(grade_files):
    wrong = replaced(REFERENCE,
                     ("    if (out - 1) * stride >= h + padding:", "    if False:"),
                     ("        padding = max(0, -(-(n_out - n_in) // 2))", "        padding = 0"))
    checks = grade_files("exercise-03", {"shapes.py": wrong}).by_check()
    assert checks["conv_formula_matches_conv2d"].passed
    assert "every wrong case has ceil_mode=True" in checks["pool_formula_matches_maxpool2d"].message
    between = checks["conv_between_maps_the_shapes"].message
    assert "conv_between((" in between and "padding only where the output must grow" in between
    assert "negative dimension" in between
