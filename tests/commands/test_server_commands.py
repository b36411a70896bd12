"""``grader server start|status|stop``: their lines in the workspace's language, else the locale's.

The server itself is tested in tests/server; these need none running."""

import time

from grader.commands import server
from grader.server import location


def test_status_without_a_server_in_chinese(grader, tmp_path, chinese_locale, chinese_text):
    env = chinese_locale | {"GRADER_RUNTIME_DIR": str(tmp_path)}
    result = grader("server", "status", env=env)
    assert result.code == 0 and result.stderr == ""
    assert result.stdout.startswith("评分服务器没有在运行（套接字 ") and result.stdout.count("\n") == 1
    chinese_text(result.stdout)
    stopped = grader("server", "stop", env=env)
    assert (stopped.code, stopped.stdout) == (0, "评分服务器没有在运行\n")


def test_status_without_a_server_in_english_is_as_it_was(grader, tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_RUNTIME_DIR", str(tmp_path))
    result = grader("server", "status", env={"GRADER_RUNTIME_DIR": str(tmp_path)})
    assert result.stdout == f"no grader server running (socket {location.socket_path()})\n"


def test_a_running_servers_status_line_in_both_languages(monkeypatch, capsys, chinese_text, tmp_path):
    monkeypatch.setenv("GRADER_RUNTIME_DIR", str(tmp_path))
    running = {"pid": 4242, "started": time.time() - 61, "gradings": 3, "grading": True, "fresh": False,
               "idle_s": 600.0}
    monkeypatch.setattr(server, "status_of", lambda: running)
    monkeypatch.setenv("GRADER_LANG", "en")
    assert server.status() == 0
    english = capsys.readouterr().out
    assert english.startswith("grader server running: pid 4242, up 61 s, 3 grading(s) (one in progress), from an "
                              "older kit (it will exit at the next check), exits after 600 s idle; socket ")
    monkeypatch.setenv("GRADER_LANG", "zh")
    running |= {"fresh": True, "grading": False, "idle_s": float("inf")}
    assert server.status() == 0
    chinese = capsys.readouterr().out
    assert chinese.startswith("评分服务器正在运行：进程号 4242，已运行 61 秒，已评分 3 次，来自当前套件，"
                              "空闲时不会退出；")
    chinese_text(chinese)
