"""The grader's own words for the terminal, by key, in English and Chinese (see :mod:`grader.language`).

Report headings, the hint line, ``grader list``, ``grader hint`` and ``grader watch``. Each key
names an English template marked for the catalog (``N_``); its translations live in the gettext
catalog grader/locale (``grader.po``), as every learner-facing message does (the checks' own
messages are :class:`grader.i18n.Message`). ``--json`` is never translated. Titles and hints of
exercises come from the registry (``title_zh``, ``hints_zh``).
"""

from __future__ import annotations

from grader.i18n import N_, gettext_in, render

MESSAGES: dict[str, str] = {
    # grader check (and watch): the report
    "report.run": N_("seed {seed} · {device} · {isolation}"),
    "report.could_not_grade": N_("could not grade: {error}"),
    "report.score": N_("Score {score}/{max_score} — {verdict}"),
    "report.all_passed": N_("all checks passed"),
    "report.failed": N_("{count} check(s) failed"),
    "report.output": N_("Your code printed:"),
    "report.more_lines": N_("[... {count} more lines]"),
    "report.output_hidden": N_("Your code printed {count} line(s); add --show-output to see them."),
    "report.rerun": N_("Re-run with the same inputs: {command}"),
    # grader check through the server (grader/server): one line on stderr when a check runs without it
    "server.starting": N_("grader server: none running; this check runs without it and starts one for the next"),
    "server.stale": N_("grader server: the kit has changed; restarting the server, this check runs without it"),
    "server.failed": N_("grader server: {reason}; this check runs without it"),
    # grader hint (and the report's hint line)
    "hint": N_("Hint {number}/{total}: {text}"),
    "hint.last": N_("That was the last hint; the exercise page in the docs explains the topic in full."),
    # grader list
    "list.title": N_("PyTorch exercises"),
    "list.id": N_("id"),
    "list.name": N_("title"),
    "list.status": N_("status"),
    "list.points": N_("points"),
    "list.progress": N_("Progress: {passed}/{total} exercises passed"),
    "status.not tried": N_("not tried"),
    "status.failed": N_("failed"),
    "status.passed": N_("passed"),
    # grader watch
    "watch.watching": N_("Watching {files}"),
    "watch.how": N_("save to re-check, Ctrl-C to stop."),
    "watch.all_passed": N_("Every exercise passes. Well done!"),
    "watch.stopped": N_("Stopped watching."),
    # grader init: what it prints, and the README it writes into the workspace
    "init.done": N_("Wrote a workspace with {count} exercises in {root}."),
    "init.exercise": N_("- `{id}` {title} ({files})"),
    "init.next": N_("Next: cd {root} && grader check exercise-01"),
    "init.readme": N_("""# PyTorch exercises

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
"""),
}


def text(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (English if it has no translation), filled in (values that are
    :class:`~grader.i18n.Message` in ``lang`` too)."""
    return gettext_in(lang, MESSAGES[key]).format(**{name: render(value, lang) for name, value in values.items()})


def isolation(description: str, lang: str) -> str:
    """The sandbox's description (:attr:`grader.sandbox.isolation.Isolation.description`) in ``lang``."""
    return gettext_in(lang, description)


def status(value: str, lang: str) -> str:
    """A progress status (``passed``, ``failed``, ``not tried``) as ``grader list`` shows it."""
    return text(f"status.{value}", lang) if f"status.{value}" in MESSAGES else value
