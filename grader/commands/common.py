"""Argument resolution shared by the commands: bad input becomes one line and exit 2."""

from __future__ import annotations

from pathlib import Path

from grader import language as languages
from grader import marker
from grader.registry import Exercise, Registry, RegistryError, UnknownExercise, load_registry
from grader.views import terminal
from grader.workspace import Workspace, WorkspaceError

USAGE = 2


class UsageError(Exception):
    """Reported as ``error: <message>`` with exit status 2."""


def registry() -> Registry:
    try:
        return load_registry()
    except RegistryError as exc:
        raise UsageError(str(exc)) from None


def exercise(name: str, reg: Registry | None = None) -> Exercise:
    try:
        return (reg or registry()).get(name)
    except UnknownExercise as exc:
        raise UsageError(str(exc.args[0])) from None


def language(option: str | None, workspace_option: Path | None = None) -> str:
    """``--lang`` if given, else the workspace's (``grader init --lang``), else the locale's: "en" or "zh"."""
    if option is None:
        root = workspace_option or marker.find()
        chosen = marker.read(root) if root else None
        if chosen is not None:
            return chosen.lang
    try:
        return languages.resolve(option)
    except languages.LanguageError as exc:
        raise UsageError(str(exc)) from None


def workspace(root: Path | None) -> Workspace:
    try:
        return Workspace(root)
    except WorkspaceError as exc:
        raise UsageError(str(exc)) from None


def usage_errors(command):
    """Decorator: turn UsageError into a one-line message and status 2."""

    def wrapped(**kwargs) -> int:
        try:
            return command(**kwargs)
        except UsageError as exc:
            terminal.error(str(exc))
            return USAGE

    wrapped.__doc__ = command.__doc__
    return wrapped
