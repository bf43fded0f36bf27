"""Stable anchors in the build: labels for intersphinx, the registry check, redirects.

* Every object of the ``ed`` domain (paragraphs, page breaks, and the entities, events and
  notes other modules add) is also made a standard label with its readable title, so
  another Sphinx project can write ``{ref}`edition:mack-2025-p7``` through intersphinx.
  The FRUS editors' notes (footnotes ``<doc>-n<k>``) become labels too.
* After reading, the registry ``docs/anchors.txt`` is checked against what the build
  publishes (the same objects ``objects.inv`` lists): a registered anchor that disappeared
  without a successor is a warning at the registry's file and line, so ``-W`` fails.
* For each anchor with a successor, the old address still leads there: a redirect page
  when the old page is gone, a small script on the old page when only a fragment moved.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from .. import anchors as registry_mod
from .domain import EditionDomain
from .paragraphs import current_document, register_label
from .problems import warn
from .buildcache import per_build


def registry_path(env: BuildEnvironment) -> Path:
    return (Path(env.app.confdir) / env.config.edition_anchor_registry).resolve()


def shown_path(env: BuildEnvironment) -> str:
    path = registry_path(env)
    try:
        return str(path.relative_to(Path(env.app.confdir).resolve()))
    except ValueError:
        return str(path)


class LabelSourceNotes(SphinxTransform):
    """Make the notes (``<doc>-n<k>``) and the places of images not reproduced
    (``<doc>-fig<k>``) of an edition document citable labels."""

    default_priority = 530

    def apply(self, **kwargs: Any) -> None:
        document = current_document(self.env)
        if document is None:
            return
        pattern = re.compile(rf"^{re.escape(document['id'])}-n(\d+)$")
        std = self.env.get_domain("std")
        for footnote in self.document.findall(nodes.footnote):
            for anchor in footnote["ids"]:
                match = pattern.match(anchor)
                if match and anchor not in std.labels:
                    register_label(self.env, anchor, f"{document['short_title']}, note {match[1]}")
        figure = re.compile(rf"^{re.escape(document['id'])}-fig(\d+)$")
        for container in self.document.findall(nodes.container):
            for anchor in container["ids"]:
                match = figure.match(anchor)
                if match and anchor not in std.labels:
                    register_label(self.env, anchor, f"{document['short_title']}, image {match[1]} (not reproduced)")


def label_edition_objects(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every ``ed`` object becomes a standard label (intersphinx ``{ref}``) unless it is one."""
    domain: EditionDomain = env.get_domain("ed")  # type: ignore[assignment]
    std = env.get_domain("std")
    for anchor, (docname, objtype, title) in domain.objects.items():
        if anchor in std.labels or anchor in std.anonlabels:
            continue
        target = "" if objtype == "document" else anchor
        std.labels[anchor] = (docname, target, title)
        std.anonlabels[anchor] = (docname, target)
    return []


def published(env: BuildEnvironment) -> dict[str, registry_mod.Anchor]:
    """What the build publishes, exactly as ``objects.inv`` will list it."""
    found: dict[str, registry_mod.Anchor] = {}
    for name, title, objtype, docname, _anchor, _prio in env.get_domain("ed").get_objects():
        found.setdefault(name, registry_mod.Anchor(name, f"ed:{objtype}", docname, title))
    std_objects = sorted(env.get_domain("std").get_objects(), key=lambda o: o[2] != "doc")
    for name, title, objtype, docname, _anchor, _prio in std_objects:
        if objtype not in ("doc", "label") or (objtype == "label" and name in registry_mod.BUILTIN_LABELS):
            continue
        found.setdefault(name, registry_mod.Anchor(name, f"std:{objtype}", docname, title))
    return found


def _load(env: BuildEnvironment) -> tuple[list[registry_mod.Entry], list]:
    return registry_mod.load(registry_path(env), shown_path(env))


def fingerprints(env: BuildEnvironment) -> dict[str, str]:
    """The fingerprint of every paragraph the converter makes from ``sources/``."""
    from ..convert import convert
    from ..corpus import Corpus
    from ..errors import EditionError
    from .registry import get_sources

    root = Path(env.app.confdir)
    conversions = {}
    for doc_id, doc in get_sources(env).items():
        try:
            conversions[doc_id] = convert(doc, root)
        except EditionError:
            continue  # the page's own build reports the source's problems
    corpus = Corpus(root, {d: c.document for d, c in conversions.items()}, conversions)
    corpus._index()
    return corpus.fingerprints


def check_registry(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn (fail under -W) for every registered anchor that vanished without a successor,
    whose successors do not lead to a live anchor, whose paragraph changed its words, and
    for every line of a released registry that is missing."""
    entries, problems = _load(env)
    problems += registry_mod.check(entries, published(env), shown_path(env))
    problems += registry_mod.check_fingerprints(entries, fingerprints(env), shown_path(env))
    problems += registry_mod.check_released(entries, Path(env.app.confdir))
    for problem in problems:
        warn(problem, subtype="anchor")


def always_recheck(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Re-read the root document whenever something the extension reads changed, or the last
    build warned, so the consistency check (and with it the registry check and the report of
    refused contributed text) runs even when only the registry changed, and an unresolved
    problem is reported again on every incremental build instead of once.

    Not when nothing changed since a build that warned of nothing: there is nothing to
    report, and reading the landing page again was a third of a rebuild with no change."""
    from .dependencies import unchanged_since_a_clean_build

    if env.config.root_doc not in env.found_docs or unchanged_since_a_clean_build(env):
        return []
    return [env.config.root_doc]


# --------------------------------------------------------------------------- redirects


def _redirect_map(app: Sphinx) -> dict[str, list[registry_mod.Redirect]]:
    """Computed once per build (pages are written after the environment is complete)."""
    return per_build(app.env, "redirect map", lambda: _compute_redirect_map(app))


def _compute_redirect_map(app: Sphinx) -> dict[str, list[registry_mod.Redirect]]:
    entries, _ = _load(app.env)
    by_page: dict[str, list[registry_mod.Redirect]] = {}
    for redirect in registry_mod.redirects(entries, published(app.env)):
        by_page.setdefault(redirect.old_page, []).append(redirect)
    return by_page


def _target(app: Sphinx, from_page_uri: str, redirect: registry_mod.Redirect) -> str:
    uri = posixpath.relpath(app.builder.get_target_uri(redirect.new_page), posixpath.dirname(from_page_uri) or ".")
    return uri + (f"#{redirect.new_fragment}" if redirect.new_fragment else "")


def fragment_script(mapping: dict[str, str]) -> str:
    """A script that sends ``#old`` to its successor's address (on load and on hash change)."""
    data = json.dumps(mapping, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return ('<script class="ed-moved-anchors">(function(){var m=' + data + ';'
            'function go(){var t=m[decodeURIComponent(location.hash.slice(1))];if(t)location.replace(t);}'
            'go();window.addEventListener("hashchange",go);})();</script>')


def inject_fragment_redirects(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree) -> None:
    """On a page that still exists, send moved fragments to their successors.

    Not in an EPUB: a book has no old web addresses to follow, and a script would make the
    page "scripted", which EPUB requires to be declared (epubcheck OPF-014)."""
    if app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    moved = _redirect_map(app).get(pagename)
    if not moved:
        return
    page_uri = app.builder.get_target_uri(pagename)
    mapping = {r.old_anchor: _target(app, page_uri, r) for r in moved if r.old_anchor != pagename}
    if mapping:
        context["metatags"] = context.get("metatags", "") + "\n" + fragment_script(mapping) + "\n"


def write_redirect_pages(app: Sphinx, exception: Exception | None) -> None:
    """For each registered page that is gone, write a page that leads to its successor."""
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    for old_page, moved in sorted(_redirect_map(app).items()):
        if old_page in app.env.found_docs:
            continue
        page_uri = app.builder.get_target_uri(old_page)
        whole = next((r for r in moved if r.old_anchor == old_page or r.new_fragment == ""), moved[0])
        default = _target(app, page_uri, whole)
        mapping = {r.old_anchor: _target(app, page_uri, r) for r in moved}
        out = Path(app.outdir) / page_uri
        if page_uri.endswith("/") or not page_uri:
            out = out / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        esc = html.escape(default)
        out.write_text(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
            f"<title>Moved</title>\n{fragment_script(mapping)}\n"
            f"<script>if(!location.hash||location.hash===\"#\")location.replace({json.dumps(default)});</script>\n"
            f"<meta http-equiv=\"refresh\" content=\"1; url={esc}\">\n<link rel=\"canonical\" href=\"{esc}\">\n"
            f"</head><body><p>This address of the edition has moved: <a href=\"{esc}\">{esc}</a>.</p></body></html>\n",
            "utf-8",
        )


def setup(app: Sphinx) -> None:
    app.add_config_value("edition_anchor_registry", registry_mod.REGISTRY, "env", types=[str])
    app.add_transform(LabelSourceNotes)
    app.connect("env-updated", label_edition_objects)
    app.connect("env-check-consistency", check_registry)
    app.connect("env-get-outdated", always_recheck)
    app.connect("html-page-context", inject_fragment_redirects)
    app.connect("build-finished", write_redirect_pages)
