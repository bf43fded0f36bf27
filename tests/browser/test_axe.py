"""axe-core on every page of the built edition: no critical and no serious violation, at
desktop (1280 px) and phone (375 px) widths, in the light and the dark colour scheme.

axe-core is the copy shipped by the PyPI package ``axe-playwright-python`` (axe.min.js),
injected into each page after its scripts ran (drawers made inert, captions repaired).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import need, pages_of

pytestmark = [pytest.mark.build, pytest.mark.browser]


def axe_source() -> Path | None:
    try:
        import axe_playwright_python
    except ImportError:
        return None
    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    return path if path.is_file() else None


RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "critical" || v.impact === "serious").map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ").slice(0, 200)),
    count: v.nodes.length,
  }));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 375])
def test_no_critical_or_serious_violation(built_html, site, new_page, width, scheme):
    source = axe_source()
    need(source is not None, "axe-core is not installed (the PyPI package axe-playwright-python ships it)")
    page = new_page(width=width, scheme=scheme)
    failures = []
    pages = pages_of(built_html)
    assert len(pages) > 5
    for path in pages:
        page.goto(f"{site}/{path}")
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(source))
        for violation in page.evaluate(RUN_AXE):
            failures.append(f"{path} [{scheme}, {width}px] {violation['impact']} {violation['id']} ×{violation['count']} "
                            f"({violation['help']}): {violation['nodes']}")
    assert not failures, "\n".join(failures)
    assert not page.js_errors, page.js_errors
