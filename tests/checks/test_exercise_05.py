"""Exercise 05's hidden checks: the stub and wrong answers fail, each with the reason it names.

That the reference earns full marks and the stub nothing: test_references.py."""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-05" / "sequential.py").read_text()
LAST = "        nn.Linear(512, 10),                           # raw logits (N, 10)\n"


def test_untouched_stub_fails_with_the_missing_modules_named(graded):
    message = graded("exercise-05", "stub").by_check()["output_shape_for_any_batch_size"].message
    assert "mat1 and mat2 shapes cannot be multiplied" in message
    assert "nn.Flatten()" in message and "nn.MaxPool2d(2)" in message


def test_relu_on_the_logits_is_caught(grade_files):
    clamped = replaced(REFERENCE, (LAST, LAST + "        nn.ReLU(),\n"))
    checks = grade_files("exercise-05", {"sequential.py": clamped}).by_check()
    assert checks["output_shape_for_any_batch_size"].passed
    assert not checks["matches_net_with_same_weights"].passed
    assert "passed through a ReLU" in checks["matches_net_with_same_weights"].message
    assert not checks["returns_raw_logits"].passed and "ReLU" in checks["returns_raw_logits"].message


def test_missing_hidden_activation_changes_the_logits(grade_files):
    no_relu = replaced(REFERENCE, ("        nn.Linear(64 * 7 * 7, 512),\n        nn.ReLU(),\n",
                                   "        nn.Linear(64 * 7 * 7, 512),\n"))
    checks = grade_files("exercise-05", {"sequential.py": no_relu}).by_check()
    assert checks["output_shape_for_any_batch_size"].passed
    message = checks["matches_net_with_same_weights"].message
    assert not checks["matches_net_with_same_weights"].passed
    assert "is off by up to" in message and "with Net's weights loaded in order" in message
    assert "nn.ReLU() between fc1 and fc2" in message


def test_no_pooling_with_a_resized_fc1_is_not_net(grade_files):
    unpooled = replaced(REFERENCE, ("        nn.MaxPool2d(2),                              # (N, 64, 14, 14)\n", ""),
                        ("        nn.MaxPool2d(2),                              # (N, 64, 7, 7)\n", ""),
                        ("nn.Linear(64 * 7 * 7, 512)", "nn.Linear(64 * 28 * 28, 512)"))
    assert unpooled.count("MaxPool2d") == 0
    checks = grade_files("exercise-05", {"sequential.py": unpooled}).by_check()
    assert checks["output_shape_for_any_batch_size"].passed
    assert not checks["same_layers_as_net"].passed
    assert ("shape (512, 50176), but Net's is fc1.weight with shape (512, 3136)"
            in checks["same_layers_as_net"].message)
    assert not checks["matches_net_with_same_weights"].passed
