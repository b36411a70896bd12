"""Diagnostics speak tensors: shapes, dtypes, NaN/inf, the largest error and where."""

import pytest
import torch

from grader.expect import CheckFailed, expect_close, expect_finite, expect_shape


def test_shape_message_names_both_shapes():
    with pytest.raises(CheckFailed, match=r"logits has shape \(3, 9\), expected \(3, 10\) — hint"):
        expect_shape(torch.zeros(3, 9), (3, 10), "logits", "hint")


def test_non_tensor_is_described():
    with pytest.raises(CheckFailed, match="should be a tensor, got a list"):
        expect_shape([1, 2], (2,), "result")


def test_largest_error_and_its_index():
    expected = torch.zeros(2, 3)
    actual = expected.clone()
    actual[1, 2] = 0.5
    with pytest.raises(CheckFailed, match=r"off by up to 0.5 at index \(1, 2\).*1 of 6 values differ"):
        expect_close(actual, expected, "loss")


def test_nan_and_inf_are_counted():
    with pytest.raises(CheckFailed, match="1 NaN and 2 inf values out of 4"):
        expect_finite(torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0]), "out")


def test_dtype_mismatch():
    with pytest.raises(CheckFailed, match="dtype torch.float64, expected torch.float32"):
        expect_close(torch.zeros(2, dtype=torch.float64), torch.zeros(2), "x")


def test_integer_tensors_compare_exactly():
    with pytest.raises(CheckFailed, match="differs .* in 1 of 3 places, first at \\(2,\\): got 5, expected 4"):
        expect_close(torch.tensor([1, 2, 5]), torch.tensor([1, 2, 4]), "labels")
