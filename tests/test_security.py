"""A hostile pull request, class by class: every payload is refused with file, line, column
and hint; the command exits non-zero; nothing is written; and nothing of it is live.

Each class plants its payload in a copy of the edition.  The payloads that reach HTML
share one copy (``planted``), one ``edition check``, one ``-W`` build (which must stop
before writing anything) and one build without ``-W`` (which writes the pages, so the
whole output can be scanned for live payloads: no ``<script>`` of ours, no ``on*=``
attribute, no ``javascript:``/``data:``/``vbscript:`` address, no byte of a canary file
that lies outside the repository).  Classes that stop the loading of the edition (YAML
bombs, symlinks, broken BibTeX, scaffolds) get their own cheap copies.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project

MARK = "PWNED"  # every script payload carries it, so a live one is easy to find
CANARY_TEXT = "canary-7f3c9e1b-outside-the-repository"
EXPORTS = ["chronology.json", "chronology.csv", "chronology-timelinejs.json", "data/glossary.json", "data/annotations.jsonld", "cite"]
DIRECTIVE_HINT = "directives can include files or emit raw output: use plain text, roles such as {ed:ref} or {cite}, and links"
MYST_HINT = "write plain MyST: *emphasis*, **strong**, [text](https://...), and the roles {ed:ref}, {ref}, {doc}, {cite}, {footcite}"
LINK_HINT = "links must be http(s) or mailto addresses, or links to pages of the edition"
PLAIN_HINT = "write plain text: this field is shown as it is"


# -- helpers -------------------------------------------------------------------------------

def edition(project: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scholarly_edition", *args, "--root", str(project)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(project / "ext"), "NO_COLOR": "1"}, timeout=timeout)


def sphinx_build(project: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-E", "-q", *options, "-n", "-b", "html", "-d", str(out / ".doctrees"),
                           "-c", str(project), str(project / "docs"), str(out)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(project / "ext"), "NO_COLOR": "1"})


def append(path: Path, text: str) -> int:
    """Append ``text``; return the line number at which it starts."""
    existing = path.read_text("utf-8") if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + text, "utf-8")
    return existing.count("\n") + 1


def where(path: Path, needle: str, project: Path) -> str:
    """``file:line:column`` of the first occurrence of ``needle`` (what the message must name)."""
    for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        at = line.find(needle)
        if at >= 0:
            return f"{path.relative_to(project)}:{number}:{at + 1}"
    raise AssertionError(f"{needle!r} not in {path}")


def expect(result: subprocess.CompletedProcess, location: str, message: str, hint: str) -> None:
    """The exact error: location, message and hint, as ``edition check`` prints it."""
    wanted = f"{location}: error: {message}\n    hint: {hint}"
    assert wanted in result.stderr, f"missing:\n{wanted}\n--- got:\n{result.stderr}"


def tree_digest(project: Path) -> str:
    """A digest of every file of a project: 'nothing written' means it does not change."""
    digest = hashlib.sha256()
    for path in sorted(p for p in project.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(project)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


_BAD_HREF = re.compile(r"^\s*(javascript|vbscript|data|livescript)\s*:", re.I)


def live_payloads(out: Path, canary: str = CANARY_TEXT) -> list[str]:
    """Every live payload anywhere in a build output (an empty list when the output is safe)."""
    found: list[str] = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and ".doctrees" not in p.parts):
        data = path.read_bytes()
        if canary.encode() in data:
            found.append(f"{path}: canary file content")
        if path.suffix not in (".html", ".xhtml", ".json", ".jsonld", ".csv", ".js", ".txt", ".bib", ".ris") or "_static" in path.parts or "_sources" in path.parts or path.name == "searchindex.js" \
                or ("pagefind" in path.parts and path.suffix == ".js"):
            continue  # theme and Pagefind scripts; page sources served as text/plain; the search index holds words as JSON strings
        text = data.decode("utf-8", errors="replace")
        if path.suffix in (".html", ".xhtml"):
            soup = BeautifulSoup(text, "html.parser")
            for script in soup.find_all("script"):
                if script.get("type") == "application/ld+json":
                    json.loads(script.get_text())  # data, and whole: nothing broke out of it
                    continue
                if MARK in script.get_text() or MARK in str(script.get("src", "")):
                    found.append(f"{path}: live <script> {str(script)[:80]}")
            for tag in soup.find_all(True):
                for name, value in tag.attrs.items():
                    if name.lower().startswith("on"):
                        found.append(f"{path}: {tag.name} has {name}=")
                    if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data") and _BAD_HREF.match(html.unescape(str(value)).replace("\t", "").replace("\n", "")):
                        found.append(f"{path}: {tag.name} {name}={value!r}")
        else:
            for pattern in (r"<script", r"<img[^>]*onerror", r"\bon[a-z]+\s*=\s*['\"]?alert", r"javascript:", r"vbscript:"):
                if re.search(pattern, text, re.I):
                    found.append(f"{path}: raw {pattern!r} in an export")
    return found


def exports_in(out: Path) -> list[str]:
    return [name for name in EXPORTS if (out / name).exists()]


# -- the shared copy with every payload that could reach a page ---------------------------

NOTE = "docs/annotations/notes/kirkland-1998.yaml"
TERMS = "docs/annotations/entities/terms.yaml"
EVENTS = "docs/annotations/events/1964-1982.yaml"
SOURCE = "sources/mack-2025.yaml"
BIB = "docs/references.bib"


def _plant(project: Path, canary: Path) -> None:
    notes = project / NOTE
    quote = "Blaiser's conclusions"
    append(notes, f"""  - id: sec-nested-include
    kind: explanation
    anchor: kirkland-1998-p3
    quote: "{quote}"
    text: |
      A list whose item holds a quotation:

      - an item

        > quoted words
        > ```{{include}} {canary}
        > ```
  - id: sec-indented-directive
    kind: explanation
    anchor: kirkland-1998-p3
    quote: "rightly calls"
    text: |
      Words.

          ```{{literalinclude}} {canary}
          ```
  - id: sec-attribute
    kind: explanation
    anchor: kirkland-1998-p3
    quote: "cast new light"
    text: "Click [here](https://example.org){{onclick=alert('{MARK}')}} now."
  - id: sec-encoded-colon
    kind: explanation
    anchor: kirkland-1998-p3
    quote: "placed its bets"
    text: "Read [this](javascript&colon;alert('{MARK}')) now."
  - id: sec-encoded-letter
    kind: explanation
    anchor: kirkland-1998-p5
    quote: "The essay has two sections. …"
    text: "Read [that](&#106;avascript:alert('{MARK}')) too."
  - id: sec-ftp-link
    kind: explanation
    anchor: kirkland-1998-p3
    quote: "sources previously unavailable"
    text: "Fetch [it](ftp://example.org/file) here."
""")
    append(project / TERMS, f"""- id: sec-raw-fence
  kind: term
  headword: Payload one
  sort: Payload one
  aliases: [Payload one]
  description: |
    :::{{raw}} html
    <script>alert('{MARK}')</script>
    :::
  attested: [kirkland-1998-p3]
- id: sec-raw-html
  kind: term
  headword: Payload two
  sort: Payload two
  aliases: [Payload two]
  description: "A picture <img src=x onerror=alert(1)> of it."
  attested: [kirkland-1998-p3]
""")
    append(project / EVENTS, f"""  - id: 1970-01-01-sec-event
    date: 1970-01-01
    kind: record
    title: "<b onmouseover=alert('{MARK}')>Hover</b>"
    description: "See [the file](data:text/html;base64,PHNjcmlwdD4=)."
    attested_by:
      - kirkland-1998-p3
""")
    source = project / SOURCE
    text = source.read_text("utf-8")
    text = re.sub(r"(?m)^summary:.*(\n  .*)*", lambda m: f"summary: |\n  A summary.\n\n  - item\n\n    ```{{include}} {canary}\n    ```", text, count=1)
    text = re.sub(r"(?m)^outlet: .*$", f"outlet: \"The Wire<script>alert('{MARK}')</script>\"", text, count=1)
    source.write_text(text, "utf-8")
    append(project / BIB, "\n@misc{sec2026,\n  title = {{A work}},\n  url = {javascript:alert(1)},\n  year = {2026}\n}\n")


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "canary.txt"
    path.write_text(CANARY_TEXT + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def planted(tmp_path_factory, canary) -> Path:
    project = copy_project(tmp_path_factory.mktemp("planted"))
    _plant(project, canary)
    return project


@pytest.fixture(scope="module")
def planted_check(planted) -> subprocess.CompletedProcess:
    return edition(planted, "check")


@pytest.fixture(scope="module")
def strict_build(planted, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """The CI build (-W): it must fail before writing.  Stale exports of an earlier build wait in the output."""
    out = tmp_path_factory.mktemp("strict")
    for name in EXPORTS:
        stale = out / name / "old.bib" if name == "cite" else out / name
        stale.parent.mkdir(parents=True, exist_ok=True)
        stale.write_text("stale export of an earlier build\n", "utf-8")
    return sphinx_build(planted, out, "-W", "--keep-going"), out


@pytest.fixture(scope="module")
def lenient_build(planted, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """A build without -W writes the pages: they are scanned for live payloads."""
    out = tmp_path_factory.mktemp("lenient")
    return sphinx_build(planted, out, "--keep-going"), out


def assert_refused(check: subprocess.CompletedProcess, strict: tuple[subprocess.CompletedProcess, Path]) -> None:
    """Non-zero exits, and the failed build wrote no page and no export."""
    result, out = strict
    assert check.returncode == 1, check.stderr
    assert result.returncode != 0, result.stderr
    assert "nothing was written (no page, no export)" in result.stderr, result.stderr
    pages = [p for p in out.rglob("*.html")]
    assert pages == [], pages
    assert exports_in(out) == [], exports_in(out)


# -- one test per class ---------------------------------------------------------------------

@pytest.mark.build
def test_fenced_directive_nested_in_a_list_item_and_a_quote(planted, planted_check, strict_build):
    expect(planted_check, where(planted / NOTE, "```{include}", planted), "directive {include} is not allowed: directives are not allowed in contributed text", DIRECTIVE_HINT)
    assert_refused(planted_check, strict_build)
    assert "kirkland-1998.yaml" in strict_build[0].stderr and "directive {include} is not allowed" in strict_build[0].stderr


@pytest.mark.build
def test_indented_directive(planted, planted_check, strict_build):
    expect(planted_check, where(planted / NOTE, "```{literalinclude}", planted), "indented directive is not allowed: directives are not allowed in contributed text", DIRECTIVE_HINT)
    assert_refused(planted_check, strict_build)


@pytest.mark.build
def test_colon_fence_raw_directive(planted, planted_check, strict_build):
    expect(planted_check, where(planted / TERMS, ":::{raw}", planted), "directive {raw} is not allowed: directives are not allowed in contributed text", DIRECTIVE_HINT)
    assert_refused(planted_check, strict_build)


@pytest.mark.build
def test_raw_html_and_event_handler_attributes(planted, planted_check, strict_build):
    expect(planted_check, where(planted / TERMS, "<img src=x", planted), "raw HTML is not allowed: '<img src=x onerror=alert(1)>'", MYST_HINT)
    expect(planted_check, where(planted / EVENTS, "<b onmouseover", planted), f"raw HTML is not allowed: \"<b onmouseover=alert('{MARK}')>\"", PLAIN_HINT)
    expect(planted_check, where(planted / NOTE, "{onclick", planted), "event-handler attributes (on…=) are not allowed", "remove the {on...=} attribute")
    assert_refused(planted_check, strict_build)


@pytest.mark.build
def test_encoded_and_obfuscated_url_schemes(planted, planted_check, strict_build):
    suffix = "is not allowed: script and data schemes are refused, however encoded"
    expect(planted_check, where(planted / NOTE, "javascript&colon;", planted), f"link target 'javascript&colon;alert(' {suffix}", LINK_HINT)
    expect(planted_check, where(planted / NOTE, "&#106;avascript:", planted), f"link target '&#106;avascript:alert(' {suffix}", LINK_HINT)
    assert_refused(planted_check, strict_build)


@pytest.mark.build
def test_non_http_links_in_every_kind_of_field(planted, planted_check, strict_build):
    expect(planted_check, where(planted / NOTE, "ftp://", planted), "link target 'ftp://example.org/file' is not allowed", LINK_HINT)
    expect(planted_check, where(planted / EVENTS, "data:text/html", planted), "link target 'data:text/html;base64,PHNjcmlwdD4=' is not allowed: script and data schemes are refused, however encoded", LINK_HINT)
    assert_refused(planted_check, strict_build)


@pytest.mark.build
def test_source_metadata_goes_through_the_same_boundary(planted, planted_check, strict_build):
    expect(planted_check, where(planted / SOURCE, "```{include}", planted), "directive {include} is not allowed: directives are not allowed in contributed text", DIRECTIVE_HINT)
    expect(planted_check, where(planted / SOURCE, "<script>", planted), "raw HTML is not allowed: '<script>'", PLAIN_HINT)
    assert_refused(planted_check, strict_build)


@pytest.mark.build
def test_bibliography_javascript_url(planted, planted_check, strict_build):
    location = where(planted / BIB, "url = {javascript", planted)
    expect(planted_check, location.rsplit(":", 1)[0] + ":3", "url 'javascript:alert(1)' of 'sec2026' is not an http(s) address", "give an http:// or https:// address (other schemes are refused)")
    assert_refused(planted_check, strict_build)


@pytest.mark.build
def test_no_payload_is_live_anywhere_in_the_output(lenient_build, strict_build):
    result, out = lenient_build
    assert (out / "index.html").exists() and (out / "glossary.html").exists(), result.stderr
    assert live_payloads(out) == []
    assert live_payloads(strict_build[1]) == []
    # the refused texts are shown as words, escaped, never as markup
    page = (out / "documents" / "kirkland-1998.html").read_text("utf-8")
    assert "{onclick=alert(&#x27;PWNED&#x27;)}" in page or "{onclick=alert('PWNED')}" in page


@pytest.mark.build
def test_a_failed_build_leaves_no_export(strict_build, lenient_build):
    """Stale exports of an earlier build are removed; the failed builds publish none."""
    assert exports_in(strict_build[1]) == []
    assert exports_in(lenient_build[1]) == []  # refused text: no export carries it, even without -W
    assert not (strict_build[1] / ".edition-exports-staging").exists()


def test_every_problem_in_one_pass(planted_check):
    """One run reports every planted class, each once."""
    errors = [line for line in planted_check.stderr.splitlines() if ": error: " in line]
    for needle in ("directive {include}", "indented directive", "directive {raw}", "raw HTML", "event-handler attributes", "javascript&colon;", "&#106;avascript", "ftp://", "data:text/html", "references.bib"):
        assert any(needle in line for line in errors), (needle, planted_check.stderr)
    assert len(errors) == len(set(errors)), "a problem was reported twice"


# -- YAML: bombs, huge and deep files ------------------------------------------------------

BOMB = "".join(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9 if i else ['"lol"'] * 9) + "]\n" for i in range(9))


def skeleton(tmp_path: Path) -> Path:
    """conf.py and an empty sources/: the smallest project `edition check` accepts."""
    project = tmp_path / "skeleton"
    (project / "sources").mkdir(parents=True)
    (project / "docs" / "annotations" / "notes").mkdir(parents=True)
    (project / "conf.py").write_text("project = 'skeleton'\n", "utf-8")
    return project


def test_yaml_bomb_is_refused_in_under_two_seconds(tmp_path):
    started = time.perf_counter()
    project = skeleton(tmp_path)
    bomb = project / "docs/annotations/notes/bomb.yaml"
    bomb.write_text(BOMB, "utf-8")
    assert len(BOMB) < 1100  # a 1 KB file that expands to 9**9 strings
    result = subprocess.run([sys.executable, "-m", "scholarly_edition", "check", "--root", str(project)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "ext")}, timeout=10)
    expect(result, "docs/annotations/notes/bomb.yaml:1:4", "YAML anchor &a is not allowed in contributed files", "remove the anchor and write each value out in full")
    assert result.returncode == 1
    assert time.perf_counter() - started < 2.0


@pytest.mark.build
def test_yaml_bomb_in_the_edition_stops_check_and_build(tmp_path):
    project = copy_project(tmp_path)
    (project / "docs/annotations/notes/bomb.yaml").write_text(BOMB, "utf-8")
    check = edition(project, "check", timeout=60)
    expect(check, "docs/annotations/notes/bomb.yaml:1:4", "YAML anchor &a is not allowed in contributed files", "remove the anchor and write each value out in full")
    out = tmp_path / "out"
    assert_refused(check, (sphinx_build(project, out, "-W", "--keep-going"), out))


def test_alias_without_anchor_line_is_refused(tmp_path):
    project = skeleton(tmp_path)
    (project / "docs/annotations/notes/alias.yaml").write_text("document: x\nnotes:\n  - &n {id: a}\n  - *n\n", "utf-8")
    result = edition(project, "check")
    expect(result, "docs/annotations/notes/alias.yaml:3:5", "YAML anchor &n is not allowed in contributed files", "remove the anchor and write each value out in full")


def test_deeply_nested_and_huge_files(tmp_path):
    project = skeleton(tmp_path)
    notes = project / "docs/annotations/notes"
    (notes / "deep.yaml").write_text("a: " + "[" * 30 + "]" * 30 + "\n", "utf-8")
    (notes / "huge.yaml").write_text("notes:\n" + "  - x: " + "y" * 600_000 + "\n", "utf-8")
    result = edition(project, "check")
    expect(result, "docs/annotations/notes/deep.yaml:1:23", "values are nested more than 20 levels deep", "flatten the structure: no annotation needs this depth")
    assert "docs/annotations/notes/huge.yaml: error: file is larger than 512000 bytes (the limit for this kind of file)" in result.stderr
    assert result.returncode == 1


def test_huge_source_text_is_refused(tmp_path):
    from scholarly_edition.trust import MAX_SOURCE_BYTES

    project = copy_project(tmp_path)
    text = project / "sources/lotm-2019.txt"
    text.write_bytes(text.read_bytes() + b"x" * (MAX_SOURCE_BYTES + 1))
    result = edition(project, "check")
    assert f"sources/lotm-2019.txt: error: file is larger than {MAX_SOURCE_BYTES} bytes (the limit for this kind of file)" in result.stderr
    assert result.returncode == 1


# -- symlinks ------------------------------------------------------------------------------

@pytest.mark.build
def test_symlinked_source_and_annotation_are_refused(tmp_path, canary):
    project = copy_project(tmp_path)
    meta = (project / "sources/lotm-2019.yaml").read_text("utf-8").replace("id: lotm-2019", "id: linked")
    (project / "sources/linked.yaml").write_text(meta, "utf-8")
    (project / "sources/linked.txt").symlink_to(canary)
    (project / "docs/annotations/notes/sec-link.yaml").symlink_to(canary)
    before = tree_digest(project)
    check = edition(project, "check")
    hint = "replace the link with the file itself: contributed files must be regular files inside the repository"
    expect(check, "sources/linked.txt", f"is a symbolic link (to {str(canary)!r}); symbolic links are refused", hint)
    expect(check, "docs/annotations/notes/sec-link.yaml", f"is a symbolic link (to {str(canary)!r}); symbolic links are refused", hint)
    convert = edition(project, "convert")
    assert convert.returncode == 1 and "symbolic links are refused" in convert.stderr
    assert not (project / "docs/documents/linked.md").exists() and tree_digest(project) == before
    out = tmp_path / "out"
    build = sphinx_build(project, out, "-W", "--keep-going")
    assert build.returncode != 0 and "symbolic links are refused" in build.stderr
    assert list(out.rglob("*.html")) == [] and exports_in(out) == [] and live_payloads(out) == []


# -- scaffolds -----------------------------------------------------------------------------

@pytest.fixture()
def scaffold_project(tmp_path) -> Path:
    return copy_project(tmp_path)


def new_document(project: Path, text_file: Path, doc_id: str, title: str = "A title") -> subprocess.CompletedProcess:
    return edition(project, "new", "document", "--id", doc_id, "--text-file", str(text_file), "--title", title, "--outlet", "An outlet",
                   "--genre", "journalism", "--date", "2026-01-15", "--rights", "In copyright.", "--author", "Ana Pérez",
                   "--summary", "A document written for this test.")


@pytest.mark.parametrize("doc_id, message, hint", [
    ("../escaped", "--id '../escaped' is not an id: it contains a path separator or '..'", "an id names an object, never a path: use lowercase letters, digits and single hyphens, e.g. mack-2025"),
    ("../../../../tmp/outside", "--id '../../../../tmp/outside' is not an id: it contains a path separator or '..'", "an id names an object, never a path: use lowercase letters, digits and single hyphens, e.g. mack-2025"),
    ("Bad Id", "--id 'Bad Id' is not a valid document id", "use lowercase letters, digits and single hyphens, e.g. mack-2025"),
    ("mack-2025", "--id 'mack-2025' is taken already", "choose another id: ids are unique across documents, anchors, notes, entities, events and archives"),
    ("barrientos-rene", "--id 'barrientos-rene' is taken already", "choose another id: ids are unique across documents, anchors, notes, entities, events and archives"),
])
def test_scaffold_refuses_paths_and_bad_ids_before_writing(scaffold_project, tmp_path, doc_id, message, hint):
    text = tmp_path / "copy.txt"
    text.write_text("A title\nSome words.\n", "utf-8")
    before = tree_digest(scaffold_project)
    result = new_document(scaffold_project, text, doc_id)
    expect(result, "edition new", message, hint)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert tree_digest(scaffold_project) == before
    assert not (tmp_path / "outside.txt").exists() and not (scaffold_project / "escaped.txt").exists()


@pytest.mark.parametrize("args, message", [
    (["note", "--anchor", "lotm-2019-p2", "--quote", "Santa Cruz de la Sierra", "--id", "sec-note", "--text", "<script>alert('PWNED')</script>"], "--text: raw HTML is not allowed: \"<script>alert('PWNED')</script>\""),
    (["note", "--anchor", "lotm-2019-p2", "--quote", "Santa Cruz de la Sierra", "--id", "sec-note", "--text", "- x\n\n  ```{include} /etc/passwd\n  ```"], "--text: directive {include} is not allowed: directives are not allowed in contributed text"),
    (["entity", "--id", "sec-entity", "--kind", "term", "--headword", "Thing", "--attested", "lotm-2019-p2", "--description", "[x](javascript:alert(1))"], "--description: link target 'javascript:alert(1' is not allowed: script and data schemes are refused, however encoded"),
    (["event", "--id", "1980-07-17-sec", "--date", "1980-07-17", "--kind", "coup", "--title", "<img src=x onerror=alert(1)>", "--anchor", "mack-2025-p20"], "--title: raw HTML is not allowed: '<img src=x onerror=alert(1)>'"),
    (["note", "--anchor", "lotm-2019-p2", "--quote", "Santa Cruz de la Sierra", "--id", "../../x", "--text", "ok"], "--id '../../x' is not an id: it contains a path separator or '..'"),
])
def test_scaffolds_refuse_unsafe_text_and_write_nothing(scaffold_project, args, message):
    before = tree_digest(scaffold_project)
    result = edition(scaffold_project, "new", *args, "--write")
    assert f"edition new: error: {message}\n    hint: " in result.stderr, result.stderr
    assert result.returncode == 1 and tree_digest(scaffold_project) == before


def test_scaffold_bibtex_entry_is_written_by_pybtex_or_refused(scaffold_project, tmp_path):
    from pybtex.database import parse_file

    text = tmp_path / "copy.txt"
    text.write_text("A title\nSome words.\n", "utf-8")
    before = tree_digest(scaffold_project)
    refused = new_document(scaffold_project, text, "brace-2026", title="A } B")
    expect(refused, "edition new", "--title 'A } B' contains '}', which BibTeX cannot hold safely", "leave the character out of the scaffold and add the entry to docs/references.bib by hand if it is needed")
    assert tree_digest(scaffold_project) == before
    written = new_document(scaffold_project, text, "special-2026", title="Fifty % & Co_ #1")
    assert written.returncode == 0, written.stderr
    entry = parse_file(str(scaffold_project / BIB)).entries["special2026"]
    assert entry.fields["title"] == "{Fifty \\% \\& Co\\_ \\#1}" and entry.fields["howpublished"] == "An outlet"
    assert oct((scaffold_project / "sources/special-2026.yaml").stat().st_mode & 0o777) == "0o644"
    assert edition(scaffold_project, "check").returncode == 0


# -- BibTeX --------------------------------------------------------------------------------

@pytest.mark.parametrize("entry, message, hint", [
    ("@misc{brace2026,\n  title = {{A } B}},\n  howpublished = {X}\n}\n", "'}' outside any entry: an unbalanced brace closed the entry before it early, and BibTeX would drop the fields after it", "balance the braces of the entry above (escape a literal brace as \\{ or \\})"),
    ("@misc{open2026,\n  title = {{A { B}},\n  howpublished = {X}\n}\n", "unbalanced braces: this entry is not closed at the end of the file", "add the missing '}' (or remove a stray '{')"),
    ("@misc{doi2026,\n  title = {A},\n  doi = {javascript:alert(1)}\n}\n", "doi 'javascript:alert(1)' of 'doi2026' is not a DOI", "write the DOI as 10.xxxx/suffix"),
    ("@misc{href2026,\n  title = {A},\n  note = {\\href{vbscript:msgbox(1)}{here}}\n}\n", "link 'vbscript:msgbox(1)' in note of 'href2026' is not an http(s) address", "give an http:// or https:// address"),
])
def test_bibliography_structure_and_addresses(tmp_path, entry, message, hint):
    project = copy_project(tmp_path)
    bib = project / BIB
    start = append(bib, "\n" + entry) + 1
    result = edition(project, "check")
    assert result.returncode == 1
    pattern = re.escape(f"{BIB}:") + r"(\d+)(:\d+)?" + re.escape(f": error: {message}\n    hint: {hint}")
    found = re.search(pattern, result.stderr)
    assert found, result.stderr
    assert start <= int(found.group(1)) <= start + 4


# -- classes found beyond the list ----------------------------------------------------------

def test_anchor_registry_cannot_name_a_path(tmp_path):
    """docs/anchors.txt pages become file names of redirect pages: '..' would write outside the output."""
    project = copy_project(tmp_path)
    line = append(project / "docs/anchors.txt", "gone-page  std:doc  ../../../../tmp/evil  ->  index\n")
    result = edition(project, "check")
    assert line > 1
    expect(result, where(project / "docs/anchors.txt", "../../../../tmp/evil", project), "page '../../../../tmp/evil' is not a page name of the edition",
           "anchors and pages are lowercase names with hyphens, pages separated by '/' (never '..' or an absolute path)")


def test_broken_source_is_reported_once_without_cascade(tmp_path):
    project = copy_project(tmp_path)
    meta = project / "sources/mack-2025.yaml"
    meta.write_text(meta.read_text("utf-8").replace("id: mack-2025\n", "id: mack-2025\nbogus: 1\n", 1), "utf-8")
    (project / "docs/annotations/notes/bomb.yaml").write_text(BOMB, "utf-8")
    result = edition(project, "check")
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[0] for e in errors] == ["sources/mack-2025.yaml:2", "docs/annotations/notes/bomb.yaml:1:4"], result.stderr
    assert "sources/mack-2025.yaml: note: checks that concern 'mack-2025' were skipped in" in result.stderr
    assert "docs/annotations/notes/mack-2025.yaml" in result.stderr


def test_exports_escape_contributed_text():
    from scholarly_edition.trust import escape_csv_cell, escape_html

    assert escape_csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")" and escape_csv_cell("1964") == "1964"
    assert escape_html("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"


def test_written_files_are_world_readable(tmp_path):
    from scholarly_edition.fileio import write_all, write_atomic

    write_atomic(tmp_path / "a.txt", "x")
    write_all({tmp_path / "b" / "c.txt": "y", tmp_path / "d.txt": b"z"})
    for name in ("a.txt", "b/c.txt", "d.txt"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o644


def test_line_break_in_a_one_line_field_is_refused(tmp_path):
    """Beyond the list: a line break in a title would forge records in line-based exports (RIS: 'ER  - ')."""
    project = copy_project(tmp_path)
    meta = project / "sources/lotm-2019.yaml"
    text = meta.read_text("utf-8")
    text = re.sub(r"(?m)^title: .*$", lambda _: 'title: "A title\\nER  - \\nTY  - JOUR"', text, count=1)
    meta.write_text(text, "utf-8")
    result = edition(project, "check")
    expect(result, where(meta, 'title: "A title', project).rsplit(":", 1)[0] + ":16", "line breaks are not allowed in this one-line field", "write the value on one line (a folded block, >-, joins lines)")
    assert result.returncode == 1


def test_defence_in_depth_file_insertion_is_off_while_contributed_text_is_parsed(tmp_path, canary):
    """Should a directive ever pass the check, parsing contributed text still cannot read a file."""
    from docutils.core import publish_doctree

    from scholarly_edition.sphinxext.safe_markup import contributed_context

    source = f".. include:: {canary}\n\n.. raw:: html\n\n   <script>alert('{MARK}')</script>\n\n.. csv-table::\n   :file: {canary}\n"
    trusted = publish_doctree(source, settings_overrides={"report_level": 5})
    assert CANARY_TEXT in trusted.astext()  # docutils would read it in a trusted page
    document = publish_doctree("x", settings_overrides={"report_level": 5})
    with contributed_context(document):
        assert document.settings.file_insertion_enabled is False and document.settings.raw_enabled is False
        refused = publish_doctree(source, settings_overrides={"report_level": 5, "file_insertion_enabled": document.settings.file_insertion_enabled, "raw_enabled": document.settings.raw_enabled})
    from docutils import nodes

    assert CANARY_TEXT not in refused.astext() and not list(refused.findall(nodes.raw)) and not list(refused.findall(nodes.table))
    assert document.settings.file_insertion_enabled is True  # restored for the edition's own pages


@pytest.mark.build
def test_omission_reason_cannot_break_its_fence(tmp_path):
    """Beyond the list: a backtick in an omission's reason ended the fence of the generated
    page, and the omitted source text (raw HTML) was read as markup — a live script."""
    project = copy_project(tmp_path)
    text = project / "sources/lotm-2019.txt"
    text.write_text(text.read_text("utf-8") + f"\nSTARTOMIT <script>alert('{MARK}')</script>\n", "utf-8")
    meta = project / "sources/lotm-2019.yaml"
    meta.write_text(meta.read_text("utf-8").replace("  omissions:\n", "  omissions:\n    - start: 'STARTOMIT'\n      reason: 'chrome ` x'\n", 1), "utf-8")
    before = tree_digest(project)
    result = edition(project, "convert")
    expect(result, f"sources/lotm-2019.yaml:{where(meta, 'reason: ' + repr('chrome ` x'), project).split(':')[1]}",
           "omission reason 'chrome ` x' contains a backtick or a line break", "write the reason on one line, without backticks")
    assert result.returncode == 1 and tree_digest(project) == before
    # defence in depth: a generated page whose fence was broken by hand still shows raw HTML as words
    for name in ("lotm-2019.txt", "lotm-2019.yaml"):
        (project / "sources" / name).write_bytes((ROOT / "sources" / name).read_bytes())
    page = project / "docs/documents/lotm-2019.md"
    page.write_text(page.read_text("utf-8") + f"\n<script>alert('{MARK}')</script>\n", "utf-8")
    out = tmp_path / "out"
    sphinx_build(project, out, "--keep-going")
    assert (out / "documents/lotm-2019.html").exists() and live_payloads(out) == []


@pytest.mark.build
def test_links_cannot_publish_files_of_the_machine(tmp_path, canary):
    """Beyond the list: MyST turns a link to an existing file into a download, and Sphinx
    copied the file (from anywhere on the machine) into the output."""
    project = copy_project(tmp_path)
    relative = os.path.relpath(canary, project / "docs" / "documents")
    notes = project / NOTE
    append(notes, f"""  - id: sec-file-link
    kind: explanation
    anchor: kirkland-1998-p3
    quote: "rightly calls"
    text: "See [the file]({relative})."
""")
    (project / "docs" / "linked.txt").symlink_to(canary)
    check = edition(project, "check")
    hint = ("link to a page or anchor of the edition (mack-2025.html#mack-2025-p3, or {ed:ref}`mack-2025-p3`): paths with '..', '/' at the start "
            "or other files are refused, because a link to a file copies it into the published edition")
    expect(check, where(notes, relative, project), f"link target {relative!r} is not a page of the edition", hint)
    expect(check, "docs/linked.txt", f"is a symbolic link (to {str(canary)!r}); symbolic links are refused",
           "replace the link with the file itself: the edition's files must be regular files inside the repository")
    # defence in depth: the same link planted in a generated page (past the check) is not published either
    page = project / "docs/documents/lotm-2019.md"
    page.write_text(page.read_text("utf-8") + f"\n[the file]({os.path.relpath(canary, page.parent)})\n", "utf-8")
    out = tmp_path / "out"
    build = sphinx_build(project, out, "--keep-going")
    assert "would publish a file from outside the edition's sources: refused" in build.stderr, build.stderr
    assert (out / "documents/lotm-2019.html").exists() and live_payloads(out) == []
