"""inside/audit.py: what a zygote sees of a change a child made to it, in an instructor's words.

Run in a process of its own (a blocked signal and a lowered limit must not leak into pytest).
"""

import json
import subprocess
import sys

from grader import paths

PROGRAM = """
import json, os, resource, signal, sys
sys.path.insert(0, {inside!r})
import audit
audit.SCRATCH = ({scratch!r},)
signal.pthread_sigmask(signal.SIG_BLOCK, {{signal.SIGUSR1}})
baseline = audit.snapshot()
quiet = audit.changes(baseline)
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (soft - 1, hard))
os.kill(os.getpid(), signal.SIGUSR1)
open(os.path.join({scratch!r}, "left"), "w").close()
print(json.dumps({{"quiet": quiet, "changed": audit.changes(baseline)}}))
"""


def audited(tmp_path) -> dict:
    source = PROGRAM.format(inside=str(paths.SANDBOX_INSIDE_DIR), scratch=str(tmp_path))
    done = subprocess.run([sys.executable, "-I", "-c", source], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_changed_limit_a_pending_signal_and_a_left_file_are_each_named(tmp_path):
    found = audited(tmp_path)
    changed = "\n".join(found["changed"])
    assert "changed the grader process's resource limits (RLIMIT_NOFILE" in changed
    assert "sent a signal to the grader process (SIGUSR1)" in changed
    assert f"left files that the clean-up could not remove: {tmp_path}/left" in changed
    # nothing of the sort right after the snapshot (keys that other processes on this machine may
    # change, such as the host's SysV IPC, are what the sandbox's own namespaces hold still)
    assert not any(("RLIMIT" in line or "signal" in line or "left files" in line) for line in found["quiet"])


OUT_OF_MEMORY = """
import json, resource, sys
sys.path.insert(0, {inside!r})
import audit
baseline = audit.snapshot()
replies = audit.out_of_memory_replies()
quiet = json.loads(audit.out_of_memory_reply(replies, baseline))
soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (1 << 40, hard))
lowered = json.loads(audit.out_of_memory_reply(replies, baseline))
print(json.dumps({{"quiet": quiet, "lowered": lowered}}))
"""


def test_a_zygote_that_can_no_longer_allocate_still_says_which_memory_limit_changed():
    """A child may lower the zygote's memory limit below what it uses; its audit could then die of
    MemoryError, so its reply is made in advance and only chosen afterwards."""
    source = OUT_OF_MEMORY.format(inside=str(paths.SANDBOX_INSIDE_DIR))
    done = subprocess.run([sys.executable, "-I", "-c", source], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    replies = json.loads(done.stdout)
    assert replies["quiet"]["changed"] == ["changed the grader process's resource limits "
                                           "(it could not allocate memory any more)"]
    assert replies["lowered"]["status"] == -9 and "RLIMIT_DATA" in replies["lowered"]["changed"][0]
