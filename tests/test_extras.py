"""A command that needs an extra the install lacks says which, in one line, and exits 2."""

import subprocess
import sys

import pytest

from grader import extras

BLOCK = ("import sys; sys.modules[{module!r}] = None; sys.argv = ['grader', *{argv!r}]\n"
         "from grader.cli import main; main()")


def grader_without(module, *argv, cwd):
    """``grader ARGV`` in a Python where ``module`` cannot be imported (as if its extra were not installed)."""
    return subprocess.run([sys.executable, "-c", BLOCK.format(module=module, argv=list(argv))],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.parametrize("argv", [("course", "build", "course"), ("batch", "course", "ps1"),
                                  ("report", "course", "ps1")])
def test_instructor_commands_name_the_instructor_extra(tmp_path, argv):
    (tmp_path / "course").mkdir()
    done = grader_without("nbgrader", *argv, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"error: grader {' '.join(argv[:2] if argv[0] == 'course' else argv[:1])} needs the "
                                   "instructor extra: pip install 'pytorch-quiz-kit[instructor]'")
    assert list((tmp_path / "course").iterdir()) == []


def test_an_import_only_an_extra_brings_is_one_line_anywhere(tmp_path):
    """The safety net in grader.cli.main: a module missing deeper than a command's own check."""
    done = subprocess.run([sys.executable, "-c", "import sys; sys.argv = ['grader', 'list']\n"
                           "import grader.commands.list as c\n"
                           "def boom(**_): raise ModuleNotFoundError('No module named sqlalchemy', name='sqlalchemy')\n"
                           "c.main = boom\nfrom grader.cli import main; main()"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("error: this command (sqlalchemy is missing) needs the instructor extra: "
                                   "pip install 'pytorch-quiz-kit[instructor]'")


def test_every_extra_module_is_installed_here():
    """The dev install has every extra (the Makefile installs .[dev])."""
    assert [extras.missing(extra) for extra in extras.EXTRAS] == [[], [], []]
