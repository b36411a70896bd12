"""A per-user grader server: ``grader check`` without paying for torch and pytest each time.

``location``     where the socket lives, and who may reach it (the owner alone)
``wire``         the messages: length-prefixed JSON, never pickle
``fingerprint``  which kit (and environment) a server was started from: a stale one never grades
``daemon``       the server: torch, pytest and the checks imported once, a sandboxed zygote kept warm
``client``       what ``grader check`` calls: the server's report, or None (then it grades locally)

The learner's code never runs in the server's process: it grades with the same sandboxed
workers as ``grader watch`` (:class:`grader.sandbox.workers.WarmWorkers`: forked by a zygote that vouches
for each grading, or graded again on a fresh worker).
"""
