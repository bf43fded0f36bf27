"""``edition init DIR``: start a new edition that builds at once.

The new edition is written from the templates shipped in the package
(``scholarly_edition/templates/edition/``): ``conf.py``, the pages of ``docs/`` (landing
page, principles, glossary, chronology, bibliography, citing, the print edition's root),
a README per kind of annotation, ``Makefile``, ``.ci/run``, ``CONTRIBUTING.md`` and a
pull-request template.  Then one example document is added *through the scaffold* (the
same code as ``edition new document``), with an editorial note, a glossary entity and an
event, and its page is converted — so ``make html pdf test`` passes on the first try and
the example shows every kind of annotation.

The example text says what it is (written for the template, not a historical source);
the editors replace it.  Placeholders in templates are ``{{name}}``, because the
Makefile and ``conf.py`` use ``$`` and braces themselves.  Template files whose names
begin with ``dot-`` are written with a leading dot (``dot-ci/run`` → ``.ci/run``), so that
the package data holds no hidden files.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import EditionError, Problem

TEMPLATES = Path(__file__).parent / "templates" / "edition"
#: Files of the template tree that are not copied as they are.
EXAMPLE_DIR = "example"
EXAMPLE_ID = "example"

#: Licences offered for the edition's own texts and annotations (SPDX id -> sentence).
LICENCES = {
    "CC-BY-4.0": "the edition's own texts and annotations are published under the Creative Commons Attribution 4.0 licence (CC BY 4.0)",
    "CC-BY-SA-4.0": "the edition's own texts and annotations are published under the Creative Commons Attribution-ShareAlike 4.0 licence (CC BY-SA 4.0)",
    "CC0-1.0": "the edition's own texts and annotations are dedicated to the public domain (CC0 1.0)",
}


@dataclass
class Answers:
    """What ``edition init`` asks: each has a flag, so CI can run it without a terminal."""

    title: str
    editors: list[str] = field(default_factory=list)
    licence: str = "CC-BY-4.0"
    base_url: str = ""
    language: str = "en"
    #: What the new edition's Makefile installs the toolkit from: a path or a requirement.
    toolkit: str = ""

    @property
    def slug(self) -> str:
        """The file name of the PDF and EPUB: the title's words, lowercase, hyphenated."""
        words = re.findall(r"[a-z0-9]+", self.title.lower().encode("ascii", "ignore").decode())
        return "-".join(words[:6]) or "edition"


def _is_checkout(path: Path) -> bool:
    pyproject = path / "pyproject.toml"
    return pyproject.is_file() and 'name = "sphinx-scholarly-edition"' in pyproject.read_text("utf-8")


def default_toolkit() -> str:
    """Where the new edition's Makefile installs the toolkit from: the checkout this
    package runs from (an editable install of ``ext/``), else the local directory it was
    installed from (``pip install ./ext`` records it, PEP 610), else the requirement of
    the installed version from the package index."""
    import json
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    checkout = Path(__file__).resolve().parent.parent
    if _is_checkout(checkout):
        return str(checkout)
    try:
        direct = json.loads(metadata.distribution("sphinx-scholarly-edition").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        direct = {}
    url = urlparse(direct.get("url", ""))
    if url.scheme == "file" and "dir_info" in direct and _is_checkout(Path(unquote(url.path))):
        return unquote(url.path)
    return f"sphinx-scholarly-edition=={__version__}"


def _fail(message: str, hint: str) -> EditionError:
    return EditionError(Problem("edition init", None, message, hint))


def _substitutions(answers: Answers) -> dict[str, str]:
    editors = ", ".join(answers.editors) if answers.editors else "the editors"
    licence = LICENCES[answers.licence]
    licence_text = f"{licence[0].upper()}{licence[1:]}; the source texts keep their own rights, stated on each document's page."
    year = _dt.date.today().year
    values = {
        "title": answers.title,
        "editors": editors,
        "slug": answers.slug,
        "licence_text": licence_text,
        "toolkit_version": __version__,
        "toolkit_requirement": answers.toolkit or default_toolkit(),
    }
    python_values = {
        "title_repr": answers.title,
        "editors_repr": editors,
        "copyright_repr": f"{year}, {editors}; source texts: their rights holders (see each document)",
        "language_repr": answers.language,
        "base_url_repr": answers.base_url,
        "subject_repr": f"{answers.title}: an annotated scholarly edition",
        "slug_repr": answers.slug,
        "licence_text_repr": licence_text,
    }
    values.update({key: repr(value) for key, value in python_values.items()})
    values["title_py"] = answers.title.replace('"""', "'''")
    values["title_make"] = answers.title.replace("\n", " ")
    return values


def _render(text: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise _fail(f"template placeholder {{{{{key}}}}} has no value", "report this as a bug of sphinx-scholarly-edition")
        return values[key]

    return re.sub(r"\{\{([a-z_]+)\}\}", one, text)


def _target_name(relative: Path) -> Path:
    return Path(*[("." + part[4:]) if part.startswith("dot-") else part for part in relative.parts])


def _validate(target: Path, answers: Answers) -> None:
    if target.exists() and any(target.iterdir()):
        raise _fail(f"{target} exists and is not empty", "choose a new directory; edition init never overwrites files")
    if not answers.title.strip():
        raise _fail("the edition has no title", "give one with --title")
    if answers.licence not in LICENCES:
        raise _fail(f"unknown licence {answers.licence!r}", f"use one of: {', '.join(LICENCES)}")
    if answers.base_url and not re.match(r"^https?://[^\s]+/$", answers.base_url):
        raise _fail(f"base URL {answers.base_url!r} is not an http(s) address ending in '/'", "e.g. --base-url https://example.org/my-edition/")
    if not re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", answers.language):
        raise _fail(f"language {answers.language!r} is not a language tag", "e.g. --language en")


def init_edition(target: Path, answers: Answers) -> list[Path]:
    """Write a new edition into ``target`` (absent or empty); return the files written."""
    from . import scaffold
    from .convert import convert
    from .fileio import write_atomic
    from .metadata import load_all

    _validate(target, answers)
    values = _substitutions(answers)
    written: list[Path] = []
    for source in sorted(TEMPLATES.rglob("*")):
        relative = source.relative_to(TEMPLATES)
        if source.is_dir() or relative.parts[0] == EXAMPLE_DIR or "__pycache__" in relative.parts:
            continue
        destination = target / _target_name(relative)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(_render(source.read_text("utf-8"), values), "utf-8")
        destination.chmod(source.stat().st_mode & 0o777)
        written.append(destination)
    (target / "sources").mkdir(exist_ok=True)
    # The example document goes in through the scaffold, as any new source would.
    example = TEMPLATES / EXAMPLE_DIR
    from .structure_detect import detect

    detection = detect((example / "example.txt").read_text("utf-8"), EXAMPLE_ID)
    detection.metadata["summary"] = ("An example written for the template of the toolkit, to show a document with a note, "
                                     "an entity and an event; replace it with a source of your edition.")
    written += scaffold.new_document(
        target, EXAMPLE_ID, example / "example.txt", "An example document", "the template of sphinx-scholarly-edition",
        "primary source", "2026", "Written for the template of sphinx-scholarly-edition (MIT licence); replace it with a source of your edition.",
        [], answers.language, "The example states that its template was written in 2026.", detection=detection,
    )
    annotations = target / "docs" / "annotations"
    for name, relative in (("notes.yaml", Path("notes") / f"{EXAMPLE_ID}.yaml"), ("terms.yaml", Path("entities") / "terms.yaml"), ("events.yaml", Path("events") / "example.yaml")):
        destination = annotations / relative
        destination.write_text((example / name).read_text("utf-8"), "utf-8")
        written.append(destination)
    for doc in load_all(target / "sources", target):
        page = target / "docs" / "documents" / f"{doc.id}.md"
        write_atomic(page, convert(doc, target).markdown)
        written.append(page)
    return written
