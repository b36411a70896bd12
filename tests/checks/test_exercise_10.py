"""Exercise 10's hidden checks: the stub and classic slips fail, each with the reason it names.

That the reference earns full marks and the stub nothing: test_references.py."""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-10" / "deploy.py").read_text()

TORCHSCRIPT_EXPORT = '''

def export_model(model, example_input, path):
    torch.jit.save(torch.jit.trace(model.eval(), example_input), path)


def load_exported(path):
    return torch.jit.load(path)
'''


def test_untouched_stub_fails_with_reasons(graded):
    checks = graded("exercise-10", "stub").by_check()
    assert "tried to pickle the model object itself" in checks["reloaded_weights_give_identical_outputs"].message
    assert "NotImplementedError" in checks["exported_model_runs_in_a_fresh_worker"].message
    assert "weights_only=True" in checks["loading_refuses_pickled_code"].message


def test_resume_that_forgets_the_optimizer_is_named(grade_files):
    forgetful = replaced(REFERENCE, ('    optimizer.load_state_dict(checkpoint["optimizer"])', ""))
    checks = grade_files("exercise-10", {"deploy.py": forgetful}).by_check()
    check = checks["resume_matches_uninterrupted_training"]
    assert not check.passed
    assert "Adam optimizer started afresh" in check.message and "optimizer.state_dict()" in check.message
    assert checks["checkpoint_returns_its_epoch"].passed and checks["reloaded_weights_give_identical_outputs"].passed


def test_weights_only_false_is_caught_and_torchscript_export_is_accepted(grade_files):
    trusting = replaced(REFERENCE, ("weights_only=True", "weights_only=False"), count=3)
    trusting = trusting[:trusting.index("def export_model")].rstrip() + "\n" + TORCHSCRIPT_EXPORT
    checks = grade_files("exercise-10", {"deploy.py": trusting}).by_check()
    assert not checks["loading_refuses_pickled_code"].passed
    assert "ran code hidden in a doctored file" in checks["loading_refuses_pickled_code"].message
    assert checks["exported_model_runs_in_a_fresh_worker"].passed
    assert checks["resume_matches_uninterrupted_training"].passed


def test_saving_parameters_only_misses_the_buffers(grade_files):
    partial = replaced(
        REFERENCE,
        ("    torch.save(model.state_dict(), path)", "    torch.save(dict(model.named_parameters()), path)"),
        ('model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))',
         'model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=False)'),
    )
    checks = grade_files("exercise-10", {"deploy.py": partial}).by_check()
    assert not checks["weights_file_holds_a_state_dict"].passed
    assert "norm.running_mean" in checks["weights_file_holds_a_state_dict"].message
    assert not checks["reloaded_weights_give_identical_outputs"].passed
    assert "reloaded model's logits" in checks["reloaded_weights_give_identical_outputs"].message
