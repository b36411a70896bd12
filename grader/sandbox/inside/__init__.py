"""The only kit code mounted into the sandbox: read this folder to audit what runs there.

``worker.py`` and ``zygote.py`` are programs, started as ``python -I <file> CONFIG``
by the trusted side; ``ranks.py`` is the program each of several ranks runs, started
by the worker through the same module. ``wire.py``, ``failures.py`` and ``probekit.py``
are modules those programs use.
Run as programs they import each other as top-level modules (this folder is on
``sys.path``); the trusted side imports them as ``grader.sandbox.inside.*``.
Nothing here may import the rest of ``grader``: it is not there.
"""
