"""Exercise 08's hidden checks: the stub and classic slips fail, each with the reason it names.

Each grade trains a real model on the digits (a few seconds), so this file grades only
twice (and reads the stub's report graded for test_references.py, where the reference
earns full marks).
"""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-08" / "train.py").read_text()


def test_untouched_stub_fails_with_loop_order_reasons(graded):
    checks = graded("exercise-08", "stub").by_check()
    message = checks["one_epoch_matches_reference_step_for_step"].message
    assert "optimizer.step() had already changed, in place" in message and "train.py:" in message
    assert "training mode" in checks["evaluate_uses_eval_mode"].message
    assert "torch.no_grad()" in checks["evaluate_builds_no_graph"].message


def test_missing_zero_grad_is_named(grade_files):
    piling = replaced(REFERENCE, ("            optimizer.zero_grad()\n", ""))
    checks = grade_files("exercise-08", {"train.py": piling}).by_check()
    check = checks["one_epoch_matches_reference_step_for_step"]
    assert not check.passed
    assert "never clears the gradients" in check.message and "optimizer.zero_grad()" in check.message
    assert checks["evaluate_uses_eval_mode"].passed


def test_evaluate_without_eval_and_no_grad_is_caught(grade_files):
    careless = replaced(REFERENCE, ("    model.eval()\n", ""),
                        ("    with torch.no_grad():\n        for start", "    if True:\n        for start"))
    evaluate = careless.split("def evaluate")[1]
    assert "model.eval()" not in evaluate and "torch.no_grad()" not in evaluate
    checks = grade_files("exercise-08", {"train.py": careless}).by_check()
    assert not checks["evaluate_uses_eval_mode"].passed
    assert "model.eval()" in checks["evaluate_uses_eval_mode"].message
    assert not checks["evaluate_builds_no_graph"].passed
    assert "requires_grad=True" in checks["evaluate_builds_no_graph"].message
    assert checks["one_epoch_matches_reference_step_for_step"].passed
    assert checks["train_puts_the_model_in_training_mode"].passed
