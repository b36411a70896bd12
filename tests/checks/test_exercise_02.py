"""Exercise 02's hidden checks: the stub and wrong answers fail, each with the reason it names.

That the reference earns full marks and the stub nothing: test_references.py."""

from grader import paths

from source_edits import replaced

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-02" / "graph.py").read_text()
FRESH_LEAF = ("    leaf = x.detach().requires_grad_(True)\n"
              "    (grad,) = torch.autograd.grad(fn(leaf), leaf)\n"
              "    return grad")


def test_untouched_stub_names_the_relu_the_values_and_the_unwritten_helper(graded):
    checks = graded("exercise-02", "stub").by_check()
    assert "a ReLU sits on the output layer" in checks["relu_between_layers_and_raw_logits"].message
    assert "computes the wrong values" in checks["gradients_flow_through_the_mlp"].message
    assert "NotImplementedError: gradient is not written yet" in \
        checks["gradient_helper_is_repeatable_and_side_effect_free"].message


def test_detach_accumulation_softmax_axis_and_static_depth_are_caught(grade_files):
    wrong = replaced(REFERENCE,
                     ("hidden = torch.relu(x @ w1.T + b1)", "hidden = torch.relu(x @ w1.T + b1).detach()"),
                     (FRESH_LEAF, "    x.requires_grad_(True)\n    fn(x).backward()\n    return x.grad"),
                     ("torch.softmax(logits, dim=-1)", "torch.softmax(logits, dim=0)"),
                     ("    while steps < max_steps and h.norm() > tol:", "    for _ in range(max_steps):"))
    checks = grade_files("exercise-02", {"graph.py": wrong}).by_check()
    assert checks["relu_between_layers_and_raw_logits"].passed
    assert "no gradient reached x, w1, b1" in checks["gradients_flow_through_the_mlp"].message
    assert "should sum to 1" in checks["softmax_over_the_classes"].message
    message = checks["gradient_helper_is_repeatable_and_side_effect_free"].message
    assert "returned 2 times the first answer" in message and "accumulating in x.grad" in message
    assert "expected 0" in checks["dynamic_depth_follows_the_data"].message
    assert not checks["dynamic_depth_gradients"].passed


def test_overflowing_softmax_multilabel_softmax_and_a_detached_loop_are_caught(grade_files):
    wrong = replaced(REFERENCE,
                     ("torch.softmax(logits, dim=-1)", "logits.exp() / logits.exp().sum(dim=-1, keepdim=True)"),
                     ("return torch.sigmoid(logits)", "return torch.softmax(logits, dim=-1)"),
                     ("        h = torch.tanh(weight @ h)\n", "        h = torch.tanh(weight @ h).detach()\n"),
                     (FRESH_LEAF, "    x.requires_grad_(True)\n    grad = torch.autograd.grad(fn(x), x)[0]\n"
                                  "    return grad"))
    checks = grade_files("exercise-02", {"graph.py": wrong}).by_check()
    assert "NaN" in checks["softmax_over_the_classes"].message
    assert "like a softmax" in checks["sigmoid_for_multilabel"].message
    assert "does not require grad" in checks["dynamic_depth_gradients"].message
    assert checks["dynamic_depth_follows_the_data"].passed
    assert "switched on requires_grad" in checks["gradient_helper_is_repeatable_and_side_effect_free"].message
