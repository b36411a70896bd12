"""What travels to the worker with a probe: its source, and the helpers its module ships.

Probes run in the sandbox, so they cannot call a check module's other functions.
A helper that several probes of one module need (a small model, a data set
that records what it serves) is marked ``@shipped``: its source is sent ahead
of every probe of that module, and it is defined again in the probe's scope.
Helpers that probes of *every* module may use live in
``inside/probekit.py``, which the worker imports itself.
"""

from __future__ import annotations

import inspect
import sys
import textwrap

_SHIPPED = "__grader_shipped__"


def shipped(obj):
    """Send ``obj``'s source (a function or class) with every probe of its module."""
    module = sys.modules[obj.__module__]
    helpers = module.__dict__.setdefault(_SHIPPED, [])
    if obj not in helpers:
        helpers.append(obj)
    return obj


def probe_source(probe) -> tuple[str, str]:
    """The probe's name, and the source to run: its module's shipped helpers, then the probe."""
    module = sys.modules.get(probe.__module__)
    helpers = [h for h in getattr(module, _SHIPPED, ()) if h is not probe]
    parts = [textwrap.dedent(inspect.getsource(h)) for h in helpers]
    parts.append(textwrap.dedent(inspect.getsource(probe)))
    return probe.__name__, "\n\n".join(parts)
