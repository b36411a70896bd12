"""The grader's own words, in English and Chinese (see :mod:`grader.language`).

Only what learners read in the terminal lives here: report headings, the hint line,
``grader list``, ``grader hint`` and ``grader watch``. The checks' messages stay
English, and ``--json`` is never translated. Titles and hints of exercises come
from the registry (``title_zh``, ``hints_zh``).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # grader check (and watch): the report
    "report.run": {"en": "seed {seed} · {device} · {isolation}",
                   "zh": "种子 {seed} · {device} · {isolation}"},
    "report.could_not_grade": {"en": "could not grade: {error}", "zh": "无法评分：{error}"},
    "report.score": {"en": "Score {score}/{max_score} — {verdict}", "zh": "得分 {score}/{max_score} — {verdict}"},
    "report.all_passed": {"en": "all checks passed", "zh": "全部检查通过"},
    "report.failed": {"en": "{count} check(s) failed", "zh": "{count} 项检查未通过"},
    "report.output": {"en": "Your code printed:", "zh": "你的代码输出了："},
    "report.more_lines": {"en": "[... {count} more lines]", "zh": "[……还有 {count} 行]"},
    "report.output_hidden": {"en": "Your code printed {count} line(s); add --show-output to see them.",
                             "zh": "你的代码输出了 {count} 行；加上 --show-output 即可查看。"},
    "report.rerun": {"en": "Re-run with the same inputs: {command}", "zh": "用同样的输入重新运行：{command}"},
    # grader check through the server (grader/server): one line on stderr when a check runs without it
    "server.starting": {"en": "grader server: none running; this check runs without it and starts one for the next",
                        "zh": "评分服务器：尚未运行；本次检查不经过它，并为下一次检查在后台启动它"},
    "server.stale": {"en": "grader server: the kit has changed; restarting the server, this check runs without it",
                     "zh": "评分服务器：套件已更改，正在重启服务器；本次检查不经过它"},
    "server.failed": {"en": "grader server: {reason}; this check runs without it",
                      "zh": "评分服务器：{reason}；本次检查不经过它"},
    # grader hint (and the report's hint line)
    "hint": {"en": "Hint {number}/{total}: {text}", "zh": "提示 {number}/{total}：{text}"},
    "hint.last": {"en": "That was the last hint; the exercise page in the docs explains the topic in full.",
                  "zh": "这是最后一条提示；文档里的练习页面会完整讲解这个主题。"},
    # grader list
    "list.title": {"en": "PyTorch exercises", "zh": "PyTorch 练习"},
    "list.id": {"en": "id", "zh": "编号"},
    "list.name": {"en": "title", "zh": "标题"},
    "list.status": {"en": "status", "zh": "状态"},
    "list.points": {"en": "points", "zh": "得分"},
    "list.progress": {"en": "Progress: {passed}/{total} exercises passed",
                      "zh": "进度：已通过 {passed}/{total} 个练习"},
    "status.not tried": {"en": "not tried", "zh": "未尝试"},
    "status.failed": {"en": "failed", "zh": "未通过"},
    "status.passed": {"en": "passed", "zh": "已通过"},
    # grader watch
    "watch.watching": {"en": "Watching {files}", "zh": "正在监视 {files}"},
    "watch.how": {"en": "save to re-check, Ctrl-C to stop.", "zh": "保存即重新检查，按 Ctrl-C 停止。"},
    "watch.all_passed": {"en": "Every exercise passes. Well done!", "zh": "所有练习都已通过，干得好！"},
    "watch.stopped": {"en": "Stopped watching.", "zh": "已停止监视。"},
    # grader init: what it prints, and the README it writes into the workspace
    "init.done": {"en": "Wrote a workspace with {count} exercises in {root} (English stubs).",
                  "zh": "已在 {root} 写好工作区，共 {count} 个练习（中文起始代码）。"},
    "init.exercise": {"en": "- `{id}` {title} ({files})", "zh": "- `{id}` {title}（{files}）"},
    "init.next": {"en": "Next: cd {root} && grader check exercise-01",
                  "zh": "下一步：cd {root} && grader check exercise-01"},
    "init.readme": {
        "en": """# PyTorch exercises

Your workspace for the PyTorch quiz and exercise kit (version {version}): one folder per
exercise, each holding the code you fix. Run these from this folder or any folder inside it:

```bash
grader list                   # every exercise, its status and its points
grader check exercise-01      # run the hidden checks on exercise-01's code, in a sandbox
grader hint exercise-01       # the next hint
grader watch                  # re-check on every save, exercise after exercise
grader reset exercise-01      # put the exercise's original code back
```

In Jupyter, from a notebook in this folder: `%load_ext grader`, then `%grader check exercise-04`.

## Exercises

{exercises}

The `.grader-workspace.toml` file marks this folder as a workspace (and records its language);
`.grader-progress.json` holds your results and the hints you have seen.
""",
        "zh": """# PyTorch 练习

这是 PyTorch 测验与练习套件（版本 {version}）的工作区：每个练习一个文件夹，里面是需要你修正的代码。
在本文件夹或其中任意子文件夹里运行下面的命令：

```bash
grader list                   # 列出所有练习及其状态和分值
grader check exercise-01      # 在沙箱中对 exercise-01 的代码运行隐藏检查
grader hint exercise-01       # 显示下一条提示
grader watch                  # 每次保存都重新检查，通过一个练习就进入下一个
grader reset exercise-01      # 把这个练习的代码恢复成最初的样子
```

在 Jupyter 中，从本文件夹里的 notebook 运行：先 `%load_ext grader`，再 `%grader check exercise-04`。

## 练习

{exercises}

`.grader-workspace.toml` 文件表明本文件夹是一个工作区（并记录它的语言）；
`.grader-progress.json` 保存你的结果和已经看过的提示。
""",
    },
}

# The sandbox's descriptions (grader.sandbox.isolation.Isolation.description), shown in the report's first line.
ISOLATION_ZH: dict[str, str] = {
    "bubblewrap: no network, read-only system, kit files hidden":
        "bubblewrap：无网络、系统只读、隐藏套件文件",
    "fallback: rlimits, no network, private working dir (files not hidden)":
        "后备方案：rlimits、无网络、私有工作目录（文件未隐藏）",
    "fallback: rlimits and a private working dir only (network and files not isolated)":
        "后备方案：仅 rlimits 和私有工作目录（网络和文件未隔离）",
}


def text(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (English if it has no translation), filled in."""
    forms = MESSAGES[key]
    return forms.get(lang, forms["en"]).format(**values)


def isolation(description: str, lang: str) -> str:
    return ISOLATION_ZH.get(description, description) if lang == "zh" else description


def status(value: str, lang: str) -> str:
    """A progress status (``passed``, ``failed``, ``not tried``) as ``grader list`` shows it."""
    return text(f"status.{value}", lang) if f"status.{value}" in MESSAGES else value
