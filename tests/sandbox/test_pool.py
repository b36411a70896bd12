"""The zygote pool: one submission can neither see nor outlive into the next."""

import pytest

from grader import paths
from grader.sandbox import isolation

REFERENCE = (paths.SOLUTIONS_DIR / "exercise-04" / "net.py").read_text()
pytestmark = pytest.mark.skipif(isolation.choose().level != "bubblewrap",
                                reason="sweeping processes needs bubblewrap's pid namespace")

PLANTER = """import subprocess
open('/tmp/planted', 'w').write('from an earlier submission')
open('/dev/shm/planted', 'w').write('from an earlier submission')
subprocess.Popen(['sleep', '600'], start_new_session=True)
""" + REFERENCE

INSPECTOR = """import os
assert not os.path.exists('/tmp/planted'), 'a file from an earlier submission survived'
assert not os.path.exists('/dev/shm/planted'), 'a shared-memory file survived'
comms = [open(f'/proc/{p}/comm').read().strip() for p in os.listdir('/proc') if p.isdigit()]
assert 'sleep' not in comms, f'a process from an earlier submission survived: {comms}'
""" + REFERENCE


def test_nothing_survives_from_one_submission_to_the_next(grade_files, zygote):
    assert grade_files("exercise-04", {"net.py": PLANTER}, workers=zygote).passed
    report = grade_files("exercise-04", {"net.py": INSPECTOR}, workers=zygote)
    assert report.passed, [t.message for t in report.failures]
