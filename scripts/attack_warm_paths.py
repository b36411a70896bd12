"""Each of the project's hostile submissions (tests/warm_attacks.py), graded on the warm paths
with three references after it: do the references still score what they score alone?

    python scripts/attack_warm_paths.py [--paths batch,server,dask] [ATTACK ...]

For every attack: ``grader batch DIR --jobs 1`` (or ``--scheduler local:1`` for dask) on a class
of four students, the attacker sorted first and three references after it; and, through one
grader server that lives for the whole run, the attacker's check then three references' checks.
Prints one line per attack and path: the attacker's score, the references' scores, and what the
attacker's report says for the instructor. Exits 1 when any reference lost a point. Run it on
an older checkout (``PYTHONPATH=that/checkout``) to see what the attacks did there.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from warm_attacks import ATTACKS, REFERENCE, source  # noqa: E402

SEED = "7"
STUDENTS = ("a-attacker", "b-reference", "c-reference", "d-reference")


def grader(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "GRADER_LANG": "en", "GRADER_NO_SERVER": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, env=full,
                          timeout=1800)


def write_class(root: Path, attack: str) -> None:
    for student in STUDENTS:
        folder = root / "submissions" / student / "exercise-04"
        folder.mkdir(parents=True)
        (folder / "net.py").write_text(source(attack) if student == "a-attacker" else REFERENCE)


def by_batch(attack: str, options: list[str]) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="attack-") as tmp:
        write_class(Path(tmp), attack)
        done = grader("batch", tmp, "--seed", SEED, *options)
        if done.returncode != 0:
            raise SystemExit(f"grader batch failed: {done.stderr[-2000:]}")
        store = Path(tmp) / ".grader-batch" / "files"
        return [json.loads((store / s / "exercise-04.json").read_text())["report"] for s in STUDENTS]


class Server:
    """One grader server for the whole run, in a private runtime folder."""

    def __init__(self):
        self.runtime = tempfile.mkdtemp(prefix="gr-", dir="/tmp")
        self.env = {"GRADER_NO_SERVER": "", "GRADER_RUNTIME_DIR": self.runtime + "/run", "GRADER_SERVER_IDLE": "600"}
        self.work = Path(tempfile.mkdtemp(prefix="attack-server-"))
        self.check(REFERENCE, "warm-up")  # starts the server
        deadline = time.monotonic() + 180
        while "running: pid" not in grader("server", "status", env=self.env).stdout:
            if time.monotonic() > deadline:
                raise SystemExit("the grader server never answered")
            time.sleep(0.5)

    def check(self, text: str, name: str) -> dict:
        folder = self.work / name / "exercise-04"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "net.py").write_text(text)
        done = grader("check", "exercise-04", "-w", str(folder.parent), "--seed", SEED, "--json", env=self.env)
        return json.loads(done.stdout)

    def grade(self, attack: str) -> list[dict]:
        return [self.check(source(attack) if s == "a-attacker" else REFERENCE, f"{attack}-{s}") for s in STUDENTS]

    def stop(self) -> None:
        grader("server", "stop", env=self.env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("attacks", nargs="*")
    parser.add_argument("--paths", default="batch,server")
    args = parser.parse_args()
    attacks = args.attacks or list(ATTACKS)
    paths = args.paths.split(",")
    server = Server() if "server" in paths else None
    lost = 0
    print(f"{'attack':14s} {'path':7s} attacker  references  review (the attacker's report)")
    try:
        for attack in attacks:
            for path in paths:
                started = time.monotonic()
                if path == "server":
                    reports = server.grade(attack)
                else:
                    reports = by_batch(attack, ["--jobs", "1"] if path == "batch" else ["--scheduler", "local:1"])
                attacker, *references = reports
                scores = " ".join(f"{r['score']:g}" for r in references)
                lost += sum(r["score"] != r["max_score"] for r in references)
                review = "; ".join(attacker.get("review", [])) or "-"
                print(f"{attack:14s} {path:7s} {attacker['score']:>4g}/10   {scores:10s}  {review[:150]}"
                      f"  ({time.monotonic() - started:.0f} s)", flush=True)
    finally:
        if server:
            server.stop()
    print(f"references that lost a point: {lost}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
