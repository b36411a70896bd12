"""What the batch grader has finished: one small JSON file per graded submission.

nbgrader's gradebook has no field for a submission's content hash, so the
batch keeps this sidecar next to it (``.grader-batch/`` in the course folder).
Each record is written atomically (a temporary file, fsync, rename) *after*
the grades it describes were committed to the gradebook, so a batch killed at
any instant leaves every record either absent (graded again next run) or
complete and true. A record says which submission content (``submission_sha``)
was graded under which settings (``settings_sha``: checks, reference, seed,
limits); when either changes, the submission is graded again.
"""

from __future__ import annotations

import json
from pathlib import Path

from grader.atomic_write import atomic_write_text


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, student: str, item: str) -> Path:
        return self.root / student / f"{item}.json"

    def load(self, student: str, item: str) -> dict | None:
        try:
            record = json.loads(self._path(student, item).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # absent, or (impossible with atomic writes, but) damaged: grade again
        return record if isinstance(record, dict) and "report" in record else None

    def save(self, student: str, item: str, record: dict) -> None:
        atomic_write_text(self._path(student, item), json.dumps(record, indent=1, sort_keys=True))

    def records(self, student: str) -> dict[str, dict]:
        folder = self.root / student
        found = {}
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            record = self.load(student, path.stem)
            if record is not None:
                found[path.stem] = record
        return found

    def settings(self, defaults: dict) -> dict:
        """Batch-wide settings kept from the first run (e.g. the plain mode's seed)."""
        path = self.root / "settings.json"
        try:
            return {**defaults, **json.loads(path.read_text(encoding="utf-8"))}
        except (OSError, ValueError):
            return self.save_settings(defaults)

    def save_settings(self, settings: dict) -> dict:
        atomic_write_text(self.root / "settings.json", json.dumps(settings, indent=1))
        return settings
