"""Reading in the browser: previews inside the viewport, clean copying, landings, motion,
keyboard order.  Pages and paragraphs are chosen from the built edition, never by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import document_pages

pytestmark = [pytest.mark.build, pytest.mark.browser]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def longest_page(built_html: Path) -> Path:
    """The document page with the most mentions."""
    return max(document_pages(built_html), key=lambda p: len(soup(p).select(".ed-mention > a")))


def url_of(built_html: Path, site: str, path: Path) -> str:
    return f"{site}/{path.relative_to(built_html).as_posix()}"


PREVIEW_EVERY_MENTION = """async () => {
  const links = [...document.querySelectorAll('.ed-mention > a')];
  const vw = document.documentElement.clientWidth, vh = innerHeight;
  const bad = [];
  let shown = 0;
  for (const link of links) {
    link.scrollIntoView({block: 'center', inline: 'nearest'});
    link.focus();
    for (let i = 0; i < 50; i++) {
      const box = document.getElementById('ed-preview');
      if (box && !box.hidden && link.getAttribute('aria-describedby') === 'ed-preview') break;
      await new Promise(r => setTimeout(r, 20));
    }
    const box = document.getElementById('ed-preview');
    if (!box || box.hidden) { bad.push(link.parentElement.id + ': no preview'); continue; }
    shown++;
    const r = box.getBoundingClientRect();
    if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5)
      bad.push(`${link.parentElement.id}: ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${vw}×${vh}`);
    link.blur();
  }
  return {count: links.length, shown, bad};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_every_preview_is_inside_the_viewport(built_html, site, new_page, width):
    path = longest_page(built_html)
    page = new_page(width=width, height=740 if width == 375 else 900)
    page.goto(url_of(built_html, site, path))
    result = page.evaluate(PREVIEW_EVERY_MENTION)
    assert result["count"] > 100, result["count"]
    assert result["shown"] == result["count"] and not result["bad"], result["bad"][:10]
    assert not page.js_errors, page.js_errors


def test_preview_on_hover_escape_and_touch(built_html, site, new_page):
    path = longest_page(built_html)
    page = new_page()
    page.goto(url_of(built_html, site, path))
    link = page.locator(".ed-mention > a").nth(3)
    link.scroll_into_view_if_needed()
    link.hover()
    preview = page.locator("#ed-preview")
    preview.wait_for(state="visible")
    entity = link.get_attribute("href").split("#")[1]
    assert preview.text_content().split(":")[0].strip()
    assert link.get_attribute("aria-describedby") == "ed-preview" and preview.get_attribute("role") == "tooltip"
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    # Touch: the first tap shows the preview and stays; the second follows the link.
    touch = new_page(width=375, height=740, has_touch=True, is_mobile=True)
    touch.goto(url_of(built_html, site, path))
    mention = touch.locator(".ed-mention > a").nth(3)
    mention.scroll_into_view_if_needed()
    before = touch.url
    mention.tap()
    touch.locator("#ed-preview").wait_for(state="visible")
    assert touch.url == before
    mention.tap()
    touch.wait_for_url(re.compile(rf"glossary\.html#{re.escape(entity)}$"))


def test_mentions_work_without_javascript(built_html, site, chrome):
    path = longest_page(built_html)
    context = chrome.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url_of(built_html, site, path))
        link = page.locator(".ed-mention > a").first
        href = link.get_attribute("href")
        link.click()
        page.wait_for_url(re.compile(re.escape(href.split("/")[-1]) + "$"))
        assert page.evaluate("(id) => !!document.getElementById(id)", href.split("#")[1])
    finally:
        context.close()


def richest_paragraphs(built_html: Path) -> list[tuple[Path, str]]:
    """Per document, the numbered paragraph with the most additions of the edition (mentions,
    chronology chips, editorial note letters) and no note number of the original."""
    chosen = []
    for path in document_pages(built_html):
        page = soup(path)
        candidates = [p for p in page.select("p.ed-para") if p.get("id") and not p.select("a.footnote-reference")]
        best = max(candidates, key=lambda p: len(p.select(".ed-mention, .ed-event-marker, sup.ed-enote-ref, .ed-page-break")))
        chosen.append((path, best["id"]))
    return chosen


def test_copying_a_paragraph_yields_the_source_words_only(built_html, site, root, new_page):
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    for path, anchor in richest_paragraphs(built_html):
        doc_id = path.stem
        source_lines = {re.sub(r"\s+", " ", line).strip() for line in (root / "sources" / f"{doc_id}.txt").read_text("utf-8").splitlines()}
        page.goto(url_of(built_html, site, path))
        # Select as a reader does: from the paragraph's start past its end, into its cite box.
        page.evaluate("""(id) => { const p = document.getElementById(id); const range = document.createRange();
            range.setStartBefore(p); const next = p.nextElementSibling; range.setEndAfter(next && next.matches('details.ed-cite') ? next : p);
            const s = getSelection(); s.removeAllRanges(); s.addRange(range); }""", anchor)
        page.keyboard.press("Control+C")
        copied = re.sub(r"\s+", " ", page.evaluate("navigator.clipboard.readText()")).strip()
        assert copied in source_lines, f"{doc_id} {anchor}: copied text is not the source's paragraph:\n{copied}"


def test_a_permalink_landing_highlights_its_target(built_html, site, new_page):
    path = longest_page(built_html)
    page_soup = soup(path)
    paragraphs = [p["id"] for p in page_soup.select("p.ed-para[id]")]
    target = paragraphs[len(paragraphs) * 2 // 3]
    page = new_page()
    page.goto(url_of(built_html, site, path) + "#" + target)
    style = page.evaluate("""(id) => { const el = document.getElementById(id); const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect(); return {bg: cs.backgroundColor, outline: cs.outlineStyle, top: r.top, h: innerHeight}; }""", target)
    assert style["bg"] not in ("rgba(0, 0, 0, 0)", "transparent") and style["outline"] != "none", style
    assert 0 <= style["top"] < style["h"] / 2, style
    # A mention's landing (a glossary back-reference) shows its paragraph's start too.
    mention = page_soup.select(".ed-para .ed-mention[id]")[len(paragraphs) // 2]
    paragraph = mention.find_parent("p")["id"]
    page.goto(url_of(built_html, site, path) + "#" + mention["id"])
    page.wait_for_timeout(100)
    where = page.evaluate("""([m, p]) => { const a = document.getElementById(m).getBoundingClientRect();
        const b = document.getElementById(p).getBoundingClientRect(); return {mention: a.top, paragraph: b.top, h: innerHeight,
        bg: getComputedStyle(document.getElementById(p)).backgroundColor}; }""", [mention["id"], paragraph])
    assert 0 <= where["paragraph"] and where["mention"] < where["h"], where
    assert where["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), where


DURATIONS = """() => [...document.querySelectorAll('a, details, summary, button, .sidebar-drawer, .toc-drawer, .overlay, .ed-preview')]
    .slice(0, 600).map(e => getComputedStyle(e)).map(cs => [cs.transitionDuration, cs.animationDuration])"""


def test_reduced_motion_is_respected(built_html, site, new_page):
    path = longest_page(built_html)
    page = new_page(reduced_motion="reduce")
    page.goto(url_of(built_html, site, path))
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    last = page.locator("p.ed-para[id]").last.get_attribute("id")
    page.evaluate("(id) => { location.hash = id; }", last)
    # No animation: the jump is complete at once.
    assert page.evaluate("(id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }", last)
    durations = page.evaluate(DURATIONS)
    # The theme animates its drawers and overlays for everyone else (so this test can fail).
    normal = new_page()
    normal.goto(url_of(built_html, site, path))
    assert any(seconds(t) > 0.05 for pair in normal.evaluate(DURATIONS) for t in ",".join(pair).split(","))
    for transition, animation in durations:
        assert all(seconds(t) <= 0.0001 for t in f"{transition},{animation}".split(",")), (transition, animation)


def seconds(value: str) -> float:
    value = value.strip()
    return float(value[:-2]) / 1000 if value.endswith("ms") else float(value[:-1])


def test_keyboard_one_stop_per_paragraph_and_no_stop_in_a_closed_drawer(built_html, site, new_page):
    path = longest_page(built_html)
    page = new_page(width=375, height=740)
    page.goto(url_of(built_html, site, path))
    stops = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && !e.closest('[inert]') && !e.disabled && e.getClientRects().length)
        .map(e => ({drawer: !!e.closest('.sidebar-drawer, .toc-drawer'), mention: !!e.closest('.ed-mention'),
                    block: e.closest('.ed-mention') ? (e.closest('p, li, dd, aside, figcaption') || {}).id || '' : ''}))""")
    assert not [s for s in stops if s["drawer"]], "a closed drawer holds tab stops"
    mention_stops = [s for s in stops if s["mention"]]
    assert len(mention_stops) == len({s["block"] for s in mention_stops}), "more than one mention stop in a paragraph"
    total = page.locator(".ed-mention > a").count()
    assert total > 2 * len(mention_stops)
    # Arrow keys move among the mentions of a paragraph.
    first = page.locator(".ed-para").filter(has=page.locator(".ed-mention + * .ed-mention, .ed-mention ~ .ed-mention")).first
    links = first.locator(".ed-mention > a")
    links.first.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == links.nth(1).text_content()
    # Opening the drawer makes its links reachable again.
    page.locator("label.nav-overlay-icon").click()
    page.wait_for_timeout(100)
    assert page.evaluate("!document.querySelector('.sidebar-drawer').hasAttribute('inert')")


def test_a_paragraph_cite_box_is_filled_when_opened(built_html, site, new_page):
    """The paragraph's citations come from the document's JSON, with the address the reader is at."""
    path = longest_page(built_html)
    box_soup = soup(path).select("details.ed-cite-para")[6]
    number = box_soup["data-ed-para"]
    page = new_page()
    page.goto(url_of(built_html, site, path))
    box = page.locator(f'details.ed-cite-para[data-ed-para="{number}"]')
    box.locator("summary").click()
    box.locator(".ed-cite-style").first.wait_for()
    texts = box.locator(".ed-cite-text").all_text_contents()
    assert texts and all("[edition URL]" not in t for t in texts)
    assert any(f"{site}/{path.relative_to(built_html).as_posix()}#" in t for t in texts), texts
    assert box.locator("button.ed-cite-copy").count() == len(texts)


def test_print_shows_the_text_and_notes_not_the_chrome(built_html, site, new_page):
    path = longest_page(built_html)
    page = new_page()
    page.goto(url_of(built_html, site, path))
    page.emulate_media(media="print")
    shown = page.evaluate("""() => { const vis = (sel) => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0).length;
        return {chrome: vis('.skip-to-content, .sidebar-drawer, .toc-drawer, .mobile-header, .theme-toggle, details.ed-cite, .ed-event-marker'),
                paragraphs: vis('p.ed-para'), all: document.querySelectorAll('p.ed-para').length,
                notes: vis('section.ed-editorial-notes, aside.footnote'), anyNotes: document.querySelectorAll('section.ed-editorial-notes, aside.footnote').length}; }""")
    assert shown["chrome"] == 0, shown
    assert shown["paragraphs"] == shown["all"] > 0 and shown["notes"] == shown["anyNotes"], shown
    assert page.pdf()[:4] == b"%PDF"  # Chromium prints the page


def test_omission_before_the_title_follows_it(built_html):
    for path in document_pages(built_html):
        page = soup(path)
        title = page.find("h1")
        for mark in page.select("details.ed-omission"):
            assert title in mark.find_all_previous("h1"), f"{path.name}: {mark.get('id')} is above the title"
