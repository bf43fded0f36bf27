"""The W3C Web Annotation export: JSON-LD that expands, and selectors that anchor strictly.

The export is expanded with PyLD and the W3C context (served from a local copy, never
fetched); every annotation's target is then resolved against the built HTML as a
browser would: the element named by the fragment, its ``textContent``, and both selectors
(TextPositionSelector exactly; TextQuoteSelector by prefix + exact + suffix at that place).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
from bs4 import BeautifulSoup

FIXTURES = Path(__file__).parent / "fixtures"
CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
#: Where the export would be served: any address works, the IRIs are resolved against it.
SERVED_AT = "https://edition.example/bolivia/data/annotations.jsonld"
OA = "http://www.w3.org/ns/oa#"


def offline_loader(url, options=None):
    if url.rstrip("/") == CONTEXT_URL:
        return {"contextUrl": None, "documentUrl": url, "document": json.loads((FIXTURES / "anno.jsonld").read_text("utf-8"))}
    raise AssertionError(f"the test must not fetch {url}")


@pytest.fixture(scope="module")
def export(built_html):
    return json.loads((built_html / "data" / "annotations.jsonld").read_text("utf-8"))


@pytest.fixture(scope="module")
def expanded(export):
    from pyld import jsonld

    return jsonld.expand(export, {"documentLoader": offline_loader, "base": SERVED_AT})


def _value(node, key):
    values = node.get(key, [])
    return values[0].get("@value", values[0].get("@id")) if values else None


class Pages:
    """textContent of elements of the built pages, by absolute IRI."""

    def __init__(self, root: Path):
        self.root, self.soups = root, {}

    def text(self, iri: str) -> str:
        page, fragment = urldefrag(iri)
        root = urljoin(SERVED_AT, "../")
        assert page.startswith(root), iri
        path = self.root / page[len(root):]
        assert path.is_file(), f"{iri}: no such page in the build"
        if path not in self.soups:
            self.soups[path] = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        element = self.soups[path].find(id=fragment)
        assert element is not None, f"{iri}: no element with that id"
        return element.get_text()


@pytest.mark.build
def test_export_is_json_ld_with_absolute_iris(export, expanded):
    assert export["label"].startswith("Annotations of ") and "Bolivia" not in json.dumps(export["@context"])
    collection = expanded[0]
    assert collection["@id"] == SERVED_AT
    items = collection["http://www.w3.org/ns/activitystreams#first"][0]["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == export["total"] > 0
    for item in items:
        assert item["@id"].startswith(urljoin(SERVED_AT, "../"))
        for target in item[OA + "hasTarget"]:
            assert target[OA + "hasSource"][0]["@id"].startswith(urljoin(SERVED_AT, "../documents/"))


@pytest.mark.build
def test_every_selector_anchors_strictly_in_the_built_html(built_html, expanded):
    pages = Pages(built_html)
    items = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0]["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    checked = 0
    failures = []
    for item in items:
        for target in item[OA + "hasTarget"]:
            found = {s["@type"][0].removeprefix(OA): s for s in target.get(OA + "hasSelector", [])}
            if not found:
                continue
            text = pages.text(target[OA + "hasSource"][0]["@id"])
            quote, position = found["TextQuoteSelector"], found["TextPositionSelector"]
            exact, prefix, suffix = (_value(quote, OA + k) or "" for k in ("exact", "prefix", "suffix"))
            start, end = int(_value(position, OA + "start")), int(_value(position, OA + "end"))
            ok = (text[start:end] == exact and text[max(0, start - len(prefix)):start] == prefix and text[end:end + len(suffix)] == suffix
                  and (prefix + exact + suffix) in text)
            checked += 1
            if not ok:
                failures.append((item["@id"], exact, text[start:end]))
    assert checked > 0
    assert failures == [], f"{len(failures)} of {checked} selectors do not anchor: {failures[:5]}"


@pytest.mark.build
def test_bodies_are_plain_text_never_myst(export):
    for item in export["first"]["items"]:
        bodies = item["body"] if isinstance(item["body"], list) else [item["body"]]
        for body in bodies:
            if body["type"] == "TextualBody":
                assert body["format"] == "text/plain"
                assert "{ed:" not in body["value"] and "`" not in body["value"] and "](" not in body["value"], body["value"]


def test_relative_export_declares_its_base(corpus):
    from scholarly_edition.webannotation import collection

    data = collection(corpus, "", "1.0", "Some Edition")
    assert data["@context"][1] == {"@base": "../"} and data["label"] == "Annotations of Some Edition, version 1.0"
    absolute = collection(corpus, "https://x.example/e/", "1.0", "Some Edition")
    assert absolute["@context"] == "http://www.w3.org/ns/anno.jsonld" and absolute["id"] == "https://x.example/e/data/annotations.jsonld"


def test_alignment_follows_the_words_not_the_inserted_letters():
    """The page inserts a paragraph number before the text and note letters after words;
    a selector must land on the words of the source, never on an inserted letter that looks
    like the first letter of the next word."""
    from scholarly_edition.webannotation import align, selectors

    clean = "the amount was paid in August"
    rendered = "12the amounta was paid inb August"
    mapping = align(clean, rendered)
    assert mapping is not None and all(rendered[mapping[i]] == clean[i] for i in range(len(clean)))
    start = clean.index("amount")
    quote = selectors(clean, start, start + len("amount"), rendered)[0]
    assert quote["exact"] == "amount" and quote["prefix"].endswith("12the ")
    start = clean.index("August")
    assert selectors(clean, start, start + 6, rendered)[1] == {"type": "TextPositionSelector", "start": rendered.index("August"), "end": len(rendered)}
    assert align("the amount", "the amoXnt") is None  # not the clean text with insertions


@pytest.mark.parametrize("seed", range(200))
def test_alignment_of_random_insertions_is_a_true_embedding(seed):
    """Whatever the page inserts, each character of the clean text is mapped, in order, onto
    the same character of the rendered text (the word pass and its fallback agree on that)."""
    import random

    from scholarly_edition.webannotation import align

    rng = random.Random(seed)
    words = ["a", "the", "amount", "an", "Paz", "La", "1964", "n", ",", ".", "Barrientos", "  ", "e"]
    clean = " ".join(rng.choice(words) for _ in range(rng.randint(1, 60)))
    pieces, inserted = [], 0
    for char in clean:
        if rng.random() < 0.08:
            pieces.append(rng.choice(["a", "b", "1", " ", "¶"]))
            inserted += 1
        pieces.append(char)
    rendered = "".join(pieces)
    mapping = align(clean, rendered)
    assert mapping is not None
    assert all(rendered[mapping[i]] == clean[i] for i in range(len(clean)))
    assert list(mapping[:-1]) == sorted(set(mapping[:-1])) and mapping[-1] == (mapping[-2] + 1 if clean else 0)
