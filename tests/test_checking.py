"""grader.checking: a refusal keeps its template, also when it comes back from the grader server."""

import pytest

from grader import checking
from grader.checking import CheckRefused, CheckRequest
from grader.i18n import Message, reason, t
from grader.server import client


def test_a_refused_option_is_a_message_with_the_english_of_before(tmp_path):
    with pytest.raises(CheckRefused) as info:
        CheckRequest.make("exercise-04", tmp_path, device="tpu")
    refusal = reason(info.value)
    assert isinstance(refusal, Message) and refusal == "--device must be one of auto, cpu, cuda, not 'tpu'"
    assert refusal.render("zh") == "`--device` 只能取 auto, cpu, cuda 之一，不能是 'tpu'"


def test_the_servers_refusal_comes_back_with_its_template(tmp_path, monkeypatch):
    refused = t("--device cuda: CUDA is not available on this machine")
    answer = {"usage_error": str(refused), "usage_error_i18n": refused.to_dict()}
    monkeypatch.setattr(client, "disabled", lambda: False)
    monkeypatch.setattr(client, "grade", lambda check, say: answer)
    request = CheckRequest.make("exercise-04", tmp_path, device="cuda", seed=1)
    with pytest.raises(CheckRefused) as info:
        checking.check(request, use_server=True)
    assert reason(info.value).render("zh") == "`--device cuda`：这台机器上没有可用的 CUDA"
    del answer["usage_error_i18n"]  # an older server: its English words, as they are
    with pytest.raises(CheckRefused) as info:
        checking.check(request, use_server=True)
    assert reason(info.value) == str(refused) and not isinstance(reason(info.value), Message)
