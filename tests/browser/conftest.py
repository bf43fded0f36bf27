"""Fixtures of the browser tests: the built edition served on 127.0.0.1, and Debian's Chromium
driven by Playwright (``executable_path``: no browser is ever downloaded).

Without Chromium or Playwright the tests are skipped with the reason, except when
``EDITION_REQUIRE_BROWSER=1`` (as in CI), where a missing tool is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from .served import browser as launch_browser, chromium_path, serve

REQUIRE = os.environ.get("EDITION_REQUIRE_BROWSER") == "1"


def need(condition: bool, reason: str) -> None:
    if condition:
        return
    if REQUIRE:
        pytest.fail(f"{reason} (EDITION_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site(built_html: Path) -> Iterator[str]:
    """The base URL of the built edition, served by a local http.server."""
    with serve(built_html) as base:
        yield base


@pytest.fixture(scope="session")
def chrome():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        need(False, "the playwright package is not installed (pip install -e '.[test]')")
    need(chromium_path() is not None, "chromium is not installed (Debian package chromium)")
    with launch_browser() as instance:
        yield instance


@pytest.fixture
def new_page(chrome):
    """``new_page(width=…, scheme=…, **context options)``: a page in a fresh context."""
    contexts = []

    def make(width: int = 1280, scheme: str = "light", height: int = 900, **options):
        context = chrome.new_context(viewport={"width": width, "height": height}, color_scheme=scheme, **options)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()


def pages_of(built_html: Path) -> list[str]:
    """Every reader page of the built edition (not the theme's static files)."""
    return sorted(str(p.relative_to(built_html)) for p in built_html.rglob("*.html")
                  if not any(part.startswith(("_", ".")) for part in p.relative_to(built_html).parts)
                  and "pagefind" not in p.parts)


def document_pages(built_html: Path) -> list[Path]:
    return sorted((built_html / "documents").glob("*.html"))
