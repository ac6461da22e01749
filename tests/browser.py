"""Headless Chromium from the system's packages (Debian's `chromium`), driven by Playwright's Python client.

Playwright downloads no browser here: it launches the executable found on PATH (or PARETL_CHROMIUM), with a new
empty profile and the network features that phone home turned off, so a page's own requests are the only ones.

    python tests/browser.py REPORT.html SCREENSHOT.png     # a screenshot of a report (docs/report.png)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def find_chromium() -> str | None:
    env = os.environ.get("PARETL_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@contextmanager
def chromium(executable: str | None = None):
    """A Playwright browser on the system's Chromium, in a fresh profile folder that is removed after."""
    from playwright.sync_api import sync_playwright

    executable = executable or find_chromium()
    if executable is None:
        raise RuntimeError("no Chromium found: `apt-get install -y chromium` (Debian) installs /usr/bin/chromium")
    profile = tempfile.mkdtemp(prefix="paretl-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(profile, executable_path=executable, headless=True,
                                                           args=ARGS, viewport={"width": 1400, "height": 1000})
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(report: Path, out: Path, full_page: bool = False) -> None:
    with chromium() as context:
        page = context.new_page()
        page.goto(report.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(out), full_page=full_page)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]))
    print(sys.argv[2])
