"""Serving a built edition and driving Debian's Chromium through Playwright.

Never downloads a browser: Playwright is pointed at the system's Chromium with
``executable_path``.  Shared by the browser tests and usable from the command line for
screenshots (``python tests/browser/served.py _build/html out-dir``).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    """The system Chromium (Debian's package), or None."""
    for name in (os.environ.get("EDITION_CHROMIUM", ""), "chromium", "chromium-browser"):
        if name and (found := shutil.which(name)):
            return found
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D401 - silence the access log
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a directory on 127.0.0.1 (a free port) for the duration of the block; yield its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser() -> Iterator[object]:
    """A Playwright Chromium browser on the system's executable."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


def screenshots(built: Path, out: Path, page_path: str = "documents/mack-2025.html") -> list[Path]:
    """Screenshots of one page in light and dark, at 375 and 1280 px (for people to look at)."""
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with serve(built) as base, browser() as chrome:
        for scheme in ("light", "dark"):
            for width in (375, 1280):
                context = chrome.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = context.new_page()
                page.goto(f"{base}/{page_path}")
                path = out / f"{Path(page_path).stem}-{scheme}-{width}.png"
                page.screenshot(path=str(path))
                shots.append(path)
                context.close()
    return shots


if __name__ == "__main__":
    import sys

    for shot in screenshots(Path(sys.argv[1]), Path(sys.argv[2]), *(sys.argv[3:4])):
        print(shot)
