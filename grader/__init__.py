"""A sandboxed grader for the PyTorch exercise kit.

Learner code only ever runs in :mod:`grader.sandbox` workers; this package's
own process compares what comes back with the reference and decides.
"""

__version__ = "0.1.0"


def load_ipython_extension(ipython) -> None:
    """``%load_ext grader``: the ``%grader`` magics (imported only now: ``import grader`` stays cheap)."""
    from grader.jupyter import register

    register(ipython)
