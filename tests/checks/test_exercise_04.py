"""Exercise 04's hidden checks: the stub and wrong answers fail, each with the reason it names.

That the reference earns full marks and the stub nothing: test_references.py."""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()


def test_untouched_stub_fails_with_shape_reasons(graded):
    message = graded("exercise-04", "stub").by_check()["output_shape_for_any_batch_size"].message
    assert "shape '[-1, 4096]' is invalid" in message


def test_view_with_wrong_size_that_mixes_the_batch_is_caught(grade_files):
    mixing = replaced(REFERENCE, ("x = x.flatten(1)", "x = x.view(-1, 64 * 8 * 8)"),
                      ("nn.Linear(64 * 7 * 7, 512)", "nn.Linear(64 * 8 * 8, 512)"))
    checks = grade_files("exercise-04", {"net.py": mixing}).by_check()
    assert not checks["samples_do_not_mix"].passed
    message = checks["samples_do_not_mix"].message
    assert "has shape (" in message and "flatten(1)" in message


def test_relu_on_the_logits_is_caught(grade_files):
    clamped = replaced(REFERENCE, ("return self.fc2(x)", "return F.relu(self.fc2(x))"))
    checks = grade_files("exercise-04", {"net.py": clamped}).by_check()
    assert not checks["returns_raw_logits"].passed
    assert "ReLU" in checks["returns_raw_logits"].message
    assert checks["output_shape_for_any_batch_size"].passed


def test_detached_layer_gets_no_gradient(grade_files):
    detached = replaced(REFERENCE, ("x = x.flatten(1)", "x = x.flatten(1).detach()"))
    checks = grade_files("exercise-04", {"net.py": detached}).by_check()
    assert not checks["gradients_reach_every_parameter"].passed
    assert "conv1.weight" in checks["gradients_reach_every_parameter"].message
