"""Argument resolution shared by the commands: bad input becomes one line and exit 2, in the command's language."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

from grader import language as languages
from grader import marker
from grader.i18n import reason
from grader.registry import Exercise, Registry, RegistryError, UnknownExercise, load_registry
from grader.views import terminal
from grader.workspace import Workspace, WorkspaceError

USAGE = 2


# the language the running command resolved (None until it has): its usage errors are shown in it
_resolved: ContextVar[str | None] = ContextVar("grader_command_language", default=None)


class UsageError(Exception):
    """Reported as ``error: <message>`` with exit status 2, in the command's language: the message is a
    :class:`grader.i18n.Message` (``t("...")``) where it has a translation, plain text where it is a value."""

    @property
    def message(self) -> str:
        return reason(self)


def registry() -> Registry:
    try:
        return load_registry()
    except RegistryError as exc:
        raise UsageError(str(exc)) from None  # a damaged kit: the registry's own words, for its maintainer


def exercise(name: str, reg: Registry | None = None) -> Exercise:
    try:
        return (reg or registry()).get(name)
    except UnknownExercise as exc:
        raise UsageError(reason(exc)) from None


def language(option: str | None, workspace_option: Path | None = None) -> str:
    """``--lang`` if given, else the workspace's (``grader init --lang``), else the locale's: "en" or "zh".

    The command's usage errors are shown in the language found here (:func:`usage_errors`)."""
    if option is None:
        root = workspace_option or marker.find()
        chosen = marker.read(root) if root else None
        if chosen is not None:
            return speaking(chosen.lang)
    try:
        return speaking(languages.resolve(option))
    except languages.LanguageError as exc:
        raise UsageError(reason(exc)) from None


def speaking(lang: str) -> str:
    """Record ``lang`` as the running command's language (for its usage errors); ``lang``."""
    _resolved.set(lang)
    return lang


def language_or_english(option: str | None = None, workspace_option: Path | None = None) -> str:
    """:func:`language`, never failing: without ``--lang`` if that is what fails (``--lang xx`` in a Chinese
    workspace still says so in Chinese), English if nothing else works."""
    for chosen in (option, None):
        try:
            return language(chosen, workspace_option)
        except (UsageError, OSError):
            continue
    return "en"


def workspace(root: Path | None) -> Workspace:
    try:
        return Workspace(root)
    except WorkspaceError as exc:
        raise UsageError(reason(exc)) from None


def usage_errors(command):
    """Decorator: turn UsageError into a one-line message and status 2, in the command's language.

    That is the language the command resolved (:func:`language`, :func:`speaking`) before it failed; if it
    failed before that, the one its ``lang`` and ``workspace`` arguments give (:func:`language_or_english`).
    A command with neither (the instructor's and maintainer's: ``batch``, ``report``, ``course build``,
    ``dev check``) speaks English."""

    def wrapped(**kwargs) -> int:
        token = _resolved.set(None)
        try:
            return command(**kwargs)
        except UsageError as exc:
            lang = _resolved.get()
            if lang is None:
                learners = "lang" in kwargs or "workspace" in kwargs
                lang = language_or_english(kwargs.get("lang"), kwargs.get("workspace")) if learners else "en"
            terminal.error(exc.message, lang)
            return USAGE
        finally:
            _resolved.reset(token)

    wrapped.__doc__ = command.__doc__
    return wrapped
