"""The glossary's back-references are written as HTML directly (``GlossaryResolver._backrefs_html``),
not as docutils nodes: the titles and labels in them come from contributed files, so every
one must reach the page as words, in text and in attributes, exactly as the HTML translator
would have escaped it.  (That the markup is byte for byte what the nodes gave was checked on
this edition and on a 200-document volume; the build tests check the links resolve.)"""

from __future__ import annotations

from types import SimpleNamespace

import lxml.html

from scholarly_edition.sphinxext.glossary import GlossaryResolver

HOSTILE = 'Doc <script>alert("x")</script> & @home\n"quoted"'


def _resolver(docname: str = "glossary") -> SimpleNamespace:
    fake = SimpleNamespace(
        docname=docname,
        domain=SimpleNamespace(documents={"d1": {"short_title": HOSTILE}}),
        env=SimpleNamespace(titles={}),
        _relative_uri=lambda todocname: f"{todocname}.html",
    )
    fake._backref_groups = lambda records: GlossaryResolver._backref_groups(fake, records)
    return fake


def test_titles_and_labels_reach_the_page_as_words():
    records = [("d1", "documents/d1", "d1-p1", "¶ 1", "d1-p1-x"), ("d1", "documents/d1", "d1-p1", "¶ 1", "d1-p1-x-2"),
               ("d1", "documents/d1", "d1-p2", '¶ 2 <b onmouseover="x">', "d1-p2-x")]
    raw = GlossaryResolver._backrefs_html(_resolver(), records)
    html = raw.astext()
    assert "<script" not in html and "<b " not in html and "@" not in html
    tree = lxml.html.fragment_fromstring(html)
    links = tree.xpath("//a")
    assert [a.text_content() for a in links] == [HOSTILE, "¶ 1 (2×)", '¶ 2 <b onmouseover="x">']
    assert links[0].get("title") == HOSTILE.replace("\n", " ")  # attribute whitespace as docutils' attval
    assert [a.get("href") for a in links] == ["documents/d1.html", "documents/d1.html#d1-p1-x", "documents/d1.html#d1-p2-x"]
    assert tree.xpath("string(//span[@class='ed-label'])") == "Mentioned 3×: "
    assert raw["format"] == "html"


def test_a_mention_on_the_same_page_links_to_its_fragment():
    records = [("", "glossary", "intro", "", "intro-r1")]
    html = GlossaryResolver._backrefs_html(_resolver("glossary"), records).astext()
    tree = lxml.html.fragment_fromstring(html)
    assert [a.get("href") for a in tree.xpath("//a")] == ["glossary.html", "#intro-r1"]


def test_an_unsafe_address_is_never_a_link():
    """The raw HTML skips the page's unsafe-link guard, so it applies the same judgement."""
    fake = _resolver()
    fake._relative_uri = lambda todocname: "javascript:alert(1)//"
    html = GlossaryResolver._backrefs_html(fake, [("d1", "documents/d1", "d1-p1", "¶ 1", "d1-p1-x")]).astext()
    assert "javascript:" not in html and "<a " not in html and "ed-refused-link" in html
