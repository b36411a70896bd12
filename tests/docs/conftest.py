"""Shared fixtures for the site's tests: one strict build per test session."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import paths

ROOT = paths.KIT_ROOT
MKDOCS = [sys.executable, "-m", "mkdocs"]


@dataclass
class Build:
    returncode: int
    log: str
    site: Path
    seconds: float

    def page(self, url_path: str) -> str:
        """The built HTML of a page, e.g. ``page("exercises/exercise-04/")``."""
        target = self.site / url_path
        if target.is_dir() or url_path.endswith("/") or not url_path:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")


def build_site(destination: Path, *, config: Path | None = None, strict: bool = True) -> Build:
    """``mkdocs build [--strict]`` into ``destination``, from the repository root."""
    command = MKDOCS + ["build", "--site-dir", str(destination)]
    if strict:
        command.append("--strict")
    if config is not None:
        command += ["--config-file", str(config)]
    # NO_MKDOCS_2_WARNING silences mkdocs-material's end-of-life banner (stderr, not a
    # build warning); it keeps the log readable in failure messages.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    return Build(done.returncode, done.stdout + done.stderr, destination, time.monotonic() - start)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    return build_site(tmp_path_factory.mktemp("site") / "site")


# -- the built site in Debian's chromium (tests/docs/test_a11y.py, test_browser.py) --
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="module")
def site_url(built_site):
    """The built site, served by a local ``http.server`` for the test module."""
    assert built_site.returncode == 0, built_site.log[-4000:]
    handler = functools.partial(QuietHandler, directory=str(built_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, for the test module (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
