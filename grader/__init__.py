"""A sandboxed grader for the PyTorch exercise kit.

Learner code only ever runs in :mod:`grader.sandbox` workers; this package's
own process compares what comes back with the reference and decides.
"""

__version__ = "0.1.0"
