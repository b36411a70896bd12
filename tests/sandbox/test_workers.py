"""Warm workers (grader.sandbox.workers): an attack on the zygote never reaches another submission.

Each of the project's hostile submissions (tests/warm_attacks.py) is graded through one shared
zygote, and a reference right after it, through the same warm workers, must score full marks
with nothing in its report about its own code or the attack. The attacker's own report is the
one a worker of its own gives, and names what it tried, for the instructor.
"""

import pytest

from grader.sandbox.workers import REGRADED

from warm_attacks import ATTACKS, REFERENCE, SWEPT, source

# SIGSTOP costs the zygote's control timeout (30 s): graded once, on the server and batch paths
# by tests/test_same_verdict_on_every_path.py, not twice here
FAST = [name for name in ATTACKS if name != "signal-stop"]


def verdict(report) -> tuple:
    return report.score, [(t.name, t.passed, t.points, t.message) for t in report.tests]


@pytest.mark.parametrize("attack", FAST)
def test_an_attack_on_the_zygote_costs_nobody_else_a_point(grade_files, zygote, attack):
    attacker = grade_files("exercise-04", {"net.py": source(attack)}, workers=zygote)
    fragment = ATTACKS[attack][1]
    assert any(fragment in line for line in attacker.review), attacker.review
    after = grade_files("exercise-04", {"net.py": REFERENCE}, workers=zygote)
    assert after.passed and after.score == after.max_score == 10, verdict(after)
    assert after.review == [], after.review
    # the attacker's own report is what a worker of its own gives (tests/test_same_verdict_on_every_path.py)
    assert attacker.score == 10 or REGRADED in attacker.review, (verdict(attacker), attacker.review)
    assert (REGRADED not in attacker.review) == (attack in SWEPT), attacker.review  # a change, and only a change


def test_an_honest_submission_is_never_flagged(grade_files, zygote):
    for _ in range(2):
        report = grade_files("exercise-04", {"net.py": REFERENCE}, workers=zygote)
        assert report.passed and report.review == []
        assert "review" not in report.to_dict()  # the --json contract is unchanged for everyone else


def test_files_left_in_scratch_places_are_swept_silently_and_never_seen_again(grade_files, zygote):
    """Temporary files are ordinary: wiped (even a folder made unreadable), not flagged."""
    planter = ("import os\nos.makedirs('/tmp/keep/inner')\nopen('/tmp/keep/inner/f', 'w').write('x')\n"
               "os.chmod('/tmp/keep', 0)\nopen('/dev/shm/left', 'w').write('x')\n") + REFERENCE
    assert grade_files("exercise-04", {"net.py": planter}, workers=zygote).review == []
    seeker = ("import os\nassert not os.path.exists('/tmp/keep'), 'survived'\n"
              "assert not os.path.exists('/dev/shm/left'), 'survived'\n") + REFERENCE
    assert grade_files("exercise-04", {"net.py": seeker}, workers=zygote).passed
