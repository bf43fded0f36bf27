"""A synthetic edition of N documents, written for the build benchmark.

The texts are generated here from templates (never copied from ``sources/``): FRUS-style
telegrams and memoranda with the editors' numbered source notes and printed-page marks,
mentioning the persons, organisations and places of a synthetic registry, with editorial
notes on exact quotes and dated events attested by paragraphs.  Every name of the registry
is marked as synthetic in its description; the corpus exists only to be built and timed.

The archival register's repositories are the project's own registry files
(``docs/annotations/archives/``), because the FRUS-style source notes cite them.

:func:`generate` writes an edition root (``conf.py``, ``sources/``, ``docs/``);
:func:`plain_copy` writes the same pages for plain Sphinx (myst-parser + furo), with the
edition's directives and roles stripped, so that both builds read the same text.
"""

from __future__ import annotations

import random
import re
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GIVEN = ["Alberto", "Carmen", "Hernán", "Julio", "Rosa", "Mario", "Elena", "Óscar", "Teresa", "Guillermo",
         "Luisa", "Ramiro", "Gladys", "Walter", "Silvia", "Jaime", "Lidia", "Armando", "Beatriz", "Raúl"]
FAMILY = ["Quiroga", "Mendoza", "Salinas", "Arancibia", "Villarroel", "Cabrera", "Montaño", "Zeballos",
          "Pereyra", "Ugarte", "Saavedra", "Vaca", "Rivero", "Cuéllar", "Añez", "Torrico", "Justiniano",
          "Peñaranda", "Ibáñez", "Olmos", "Cardozo", "Urquidi", "Rojas", "Calvimontes", "Escóbar"]
PLACES = ["Oruro", "Cochabamba", "Santa Cruz", "Sucre", "Potosí", "Tarija", "Trinidad", "Cobija", "Riberalta",
          "Camiri", "Catavi", "Siglo XX", "Huanuni", "Caranavi", "Yacuiba", "Villazón", "Uyuni", "Tupiza",
          "Montero", "Guayaramerín", "Achacachi", "Warnes", "Punata", "Llallagua"]
ORG_WORDS = ["Workers", "Peasant", "Mining", "Veterans", "Teachers", "Transport", "Students", "Railway",
             "Oil", "Cooperative", "Commerce", "Highland", "Lowland", "Municipal"]
ORG_KINDS = ["Federation", "Confederation", "Union", "Front", "League", "Movement", "Council", "Committee"]
TERMS = ["junta", "state of siege", "curfew", "militia", "general strike", "road blockade", "interim government",
         "constitutional succession", "civic committee", "Chaco generation", "tin barons", "agrarian reform"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
KINDS = ["Telegram From the Embassy in Bolivia to the Department of State",
         "Memorandum of Conversation",
         "Telegram From the Department of State to the Embassy in Bolivia",
         "Intelligence Note Prepared in the Bureau of Intelligence and Research",
         "Letter From the Ambassador to Bolivia to the Assistant Secretary of State for Inter-American Affairs"]
SOURCE_NOTES = [
    "Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 BOL. Confidential; Priority.",
    "Source: Johnson Library, National Security File, Country File, Bolivia, Vol. II, Memoranda. Secret.",
    "Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 15 BOL. Secret; Limdis.",
]


def _slug(text: str) -> str:
    table = str.maketrans("áéíóúñüÁÉÍÓÚÑÜ", "aeiounuAEIOUNU")
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-")


def _entities(rng: random.Random, n_docs: int) -> list[dict]:
    """A registry whose size grows with the edition (as a volume's index does)."""
    people, seen = [], set()
    target = min(len(GIVEN) * len(FAMILY), max(30, n_docs // 3))
    while len(people) < target:
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        if (given, family) in seen:
            continue
        seen.add((given, family))
        people.append({"id": f"{_slug(family)}-{_slug(given)}", "kind": "person", "headword": f"{given} {family}",
                       "sort": f"{family}, {given}", "aliases": [f"{given} {family}"]})
    orgs = []
    for i in range(max(10, n_docs // 10)):
        name = f"{ORG_WORDS[i % len(ORG_WORDS)]} {ORG_KINDS[(i // len(ORG_WORDS)) % len(ORG_KINDS)]}"
        if i >= len(ORG_WORDS) * len(ORG_KINDS):
            break
        orgs.append({"id": _slug(name), "kind": "organisation", "headword": f"{name} of Bolivia",
                     "sort": f"{name} of Bolivia", "aliases": [f"{name} of Bolivia"]})
    places = [{"id": _slug(p), "kind": "place", "headword": p, "sort": p, "aliases": [p]} for p in PLACES]
    terms = [{"id": _slug(t), "kind": "term", "headword": t, "sort": t, "aliases": [t]} for t in TERMS]
    return people + orgs + places + terms


def _sentence(rng: random.Random, ents: list[dict], day: str) -> tuple[str, list[str]]:
    person, other = rng.sample([e for e in ents if e["kind"] == "person"], 2)
    place = rng.choice([e for e in ents if e["kind"] == "place"])
    org = rng.choice([e for e in ents if e["kind"] == "organisation"])
    term = rng.choice([e for e in ents if e["kind"] == "term"])
    a, b, p, o, t = (e["aliases"][0] for e in (person, other, place, org, term))
    templates = [
        f"{a} told the Embassy on {day} that the {o} would not accept a {t} imposed from La Paz.",
        f"Reports from {p} indicate that {b} has met leaders of the {o} and that the {t} is holding.",
        f"In conversation with the Ambassador, {a} said that {b} had lost the confidence of the garrison in {p}.",
        f"The Embassy believes that the {o} will support {a} as long as the {t} is lifted before the elections.",
        f"{b} asked whether the United States would continue assistance if the {t} were extended to {p}.",
        f"Officers in {p} are divided; some follow {a}, others wait for instructions from {b}.",
    ]
    return rng.choice(templates), [person["id"], other["id"], place["id"], org["id"], term["id"]]


def _document(rng: random.Random, index: int, ents: list[dict]) -> dict:
    year = 1964 + index % 17
    month = 1 + (index * 7) % 12
    day = 1 + (index * 11) % 28
    doc_id = f"frus-bench-d{index:04d}"
    kind = KINDS[index % len(KINDS)]
    title = f"{index}. {kind}1"
    words_day = f"{MONTHS[month - 1]} {day}"
    page = 100 + 2 * index
    paragraphs, mentions = [], {}
    n_par = 4 + index % 5
    note = 2
    for p in range(1, n_par + 1):
        sentences = []
        for _ in range(3 + (index + p) % 4):
            sentence, ids = _sentence(rng, ents, words_day)
            sentences.append(sentence)
            for ent_id in ids:
                mentions.setdefault(ent_id, []).append(f"{doc_id}-p{p}")
        if p == 1:
            sentences.insert(0, f"{300 + index}. Subject: Bolivia, situation on {words_day}.")
        if p == 2:
            sentences.insert(1, f"[Page {page + 1}]")
        text = " ".join(sentences)
        if p % 2 == 0 and note <= 3:
            text += str(note)
            note += 1
        paragraphs.append(text)
    notes = [rng.choice(SOURCE_NOTES)] + [
        f"Printed from a copy that indicates the telegram was received at {h}:{m:02d} p.m. (Ibid., POL 23–9 BOL)"
        for h, m in ((3, 15), (6, 40))[: note - 2]
    ]
    text = title + "\n\n" + "\n\n".join(paragraphs) + "\n\n" + "\n".join(f"  {i}. {n}" for i, n in enumerate(notes, 1)) + "\n"
    edtf = f"{year}-{month:02d}-{day:02d}"
    meta = textwrap.dedent(f"""\
        # Synthetic benchmark document (benchmarks/corpus_gen.py).
        id: {doc_id}
        title: "{kind}"
        short_title: "Bench doc. {index}"
        authors:
          - family: United States Department of State
        outlet: Foreign Relations of the United States
        container: "Foreign Relations of the United States, synthetic benchmark volume"
        number: "{index}"
        genre: primary source
        language: en
        date:
          edtf: "{edtf}"
        rights: Synthetic text written by the benchmark; no rights.
        bibkey: bench{index:04d}
        summary: >-
          A synthetic {kind.lower()} of the benchmark volume, mentioning {len(mentions)} entities of its registry.
        structure:
          title: "{title}"
          source_notes: true
          page_breaks: true
        """)
    first = paragraphs[0].split(" ")
    return {"id": doc_id, "text": text, "meta": meta, "edtf": edtf, "mentions": mentions, "year": year,
            "quote": " ".join(first[:4]), "kind": kind, "index": index}


def _yaml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(root: Path, n_docs: int, seed: int = 1964) -> list[str]:
    """Write a synthetic edition of ``n_docs`` documents under ``root``; return the document ids."""
    rng = random.Random(seed)
    ents = _entities(rng, n_docs)
    docs = [_document(rng, i, ents) for i in range(1, n_docs + 1)]
    sources, docs_dir, ann = root / "sources", root / "docs", root / "docs" / "annotations"
    for d in (sources, docs_dir / "documents", ann / "entities", ann / "events", ann / "notes"):
        d.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs" / "annotations" / "archives", ann / "archives", dirs_exist_ok=True)
    bib = []
    for doc in docs:
        (sources / f"{doc['id']}.txt").write_text(doc["text"], "utf-8")
        (sources / f"{doc['id']}.yaml").write_text(doc["meta"], "utf-8")
        bib.append(f"@misc{{bench{doc['index']:04d},\n  author = {{{{United States Department of State}}}},\n"
                   f"  title = {{{{{doc['kind']}}}}},\n  year = {{{doc['year']}}},\n  note = {{Synthetic benchmark document {doc['index']}}}\n}}\n")
        notes = textwrap.dedent(f"""\
            document: {doc['id']}
            notes:
              - id: opening
                kind: explanation
                anchor: {doc['id']}-p1
                quote: {_yaml_str(doc['quote'])}
                text: >-
                  A synthetic editorial note on the opening words; compare {{ed:ref}}`{doc['id']}-p2`.
            """)
        (ann / "notes" / f"{doc['id']}.yaml").write_text(notes, "utf-8")
    (docs_dir / "references.bib").write_text("\n".join(bib), "utf-8")
    # Entities: attested by the first paragraphs that mention them; unmentioned ones are left out.
    by_kind: dict[str, list[str]] = {}
    mentioned: dict[str, list[str]] = {}
    for doc in docs:
        for ent_id, anchors in doc["mentions"].items():
            mentioned.setdefault(ent_id, []).extend(anchors)
    for ent in ents:
        if ent["id"] not in mentioned:
            continue
        attested = sorted(set(mentioned[ent["id"]]))[:3]
        by_kind.setdefault(ent["kind"], []).append(textwrap.dedent(f"""\
            - id: {ent['id']}
              kind: {ent['kind']}
              headword: {_yaml_str(ent['headword'])}
              sort: {_yaml_str(ent['sort'])}
              aliases: [{', '.join(_yaml_str(a) for a in ent['aliases'])}]
              description: A synthetic {ent['kind']} of the benchmark corpus.
              attested: [{', '.join(attested)}]
            """))
    files = {"person": "persons.yaml", "organisation": "organisations.yaml", "place": "places.yaml", "term": "terms.yaml"}
    for kind, name in files.items():
        (ann / "entities" / name).write_text("\n".join(by_kind.get(kind, [])) or "[]\n", "utf-8")
    # Events: each document's date, and one event per period attested by several documents.
    events = ["title: Dates of the benchmark's documents", "events:"]
    for doc in docs:
        events += [f"  - id: {doc['edtf']}-{doc['id']}", f"    date: \"{doc['edtf']}\"", "    kind: document",
                   f"    document: {doc['id']}", f"    title: {_yaml_str(doc['kind'])}",
                   "    description: The date of a synthetic benchmark document.", "    attested_by:",
                   f"      - {doc['id']}-p1"]
    (ann / "events" / "documents.yaml").write_text("\n".join(events) + "\n", "utf-8")
    periods = ["title: Synthetic events of the benchmark", "events:"]
    for year in sorted({d["year"] for d in docs}):
        cites = [d["id"] for d in docs if d["year"] == year][:8]
        periods += [f"  - id: {year}-bench-crisis", f"    date: \"{year}\"", "    kind: protest",
                    f"    title: Synthetic crisis of {year}", "    description: A synthetic event of the benchmark.",
                    "    attested_by:"] + [f"      - {c}-p2" for c in cites]
    (ann / "events" / "periods.yaml").write_text("\n".join(periods) + "\n", "utf-8")
    _pages(root, n_docs)
    return [d["id"] for d in docs]


CONF = '''\
"""Configuration of a synthetic benchmark edition (written by benchmarks/corpus_gen.py)."""
import sys
sys.path.insert(0, {ext!r})
project = "Synthetic benchmark edition ({n} documents)"
author = "benchmark"
release = "0.0"  # the edition's own version (the toolkit refuses a project without one)
extensions = [{extensions}]
myst_enable_extensions = ["attrs_block", "attrs_inline", "colon_fence", "deflist", "fieldlist"]
smartquotes = False
root_doc = "index"
exclude_patterns = ["_build", "**/_*.md", "annotations/**"]
html_theme = "furo"
html_static_path = []
html_last_updated_fmt = None
nitpicky = True
{extra}
'''

EDITION_EXTRA = '''\
edition_sources_dir = {sources!r}
bibtex_bibfiles = ["docs/references.bib"]
bibtex_default_style = "unsrt"
bibtex_reference_style = "author_year"
'''


def _pages(root: Path, n_docs: int) -> None:
    docs = root / "docs"
    (docs / "index.md").write_text(textwrap.dedent("""\
        # A synthetic benchmark volume

        A synthetic edition of telegrams and memoranda, written by the benchmark script.

        ## The documents

        ```{edition-cards}
        ```

        ```{toctree}
        :caption: Apparatus
        :maxdepth: 1
        :hidden:

        glossary
        chronology
        archives
        bibliography
        ```
        """), "utf-8")
    (docs / "glossary.md").write_text("# Glossary\n\n" + "".join(
        f"## {title}\n\n```{{edition-glossary}} {kind}\n```\n\n"
        for kind, title in (("person", "People"), ("organisation", "Organisations"), ("place", "Places"), ("term", "Terms"))), "utf-8")
    (docs / "chronology.md").write_text("# Chronology\n\n```{chronology}\n```\n", "utf-8")
    (docs / "archives.md").write_text("# Archival register\n\n```{archival-register}\n```\n", "utf-8")
    (docs / "bibliography.md").write_text("# Bibliography\n\n```{bibliography}\n:all:\n```\n", "utf-8")
    extensions = '"myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "scholarly_edition.sphinxext"'
    (root / "conf.py").write_text(CONF.format(ext=str(_ext_dir()), n=n_docs, extensions=extensions,
                                              extra=EDITION_EXTRA.format(sources=str(root / "sources"))), "utf-8")


_EXT = [ROOT / "ext"]


def _ext_dir() -> Path:
    return _EXT[0]


def use_toolkit(project: Path) -> None:
    """Build with the toolkit of another checkout (e.g. the code before a change)."""
    _EXT[0] = project / "ext"


DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{([a-z:-]+)\}[^\n]*\n(.*?)^\1[ \t]*$\n?", re.M | re.S)
ROLE = re.compile(r"\{([a-z:-]+)\}`([^`]*)`")
KEEP = {"toctree", "note", "only"}


def strip_edition(text: str, documents: list[str]) -> str:
    """The page as plain MyST: edition directives removed, edition roles reduced to their text."""
    def directive(m: re.Match) -> str:
        name = m.group(2)
        if name == "edition-cards":
            return "```{toctree}\n:hidden:\n\n" + "\n".join(f"documents/{d}" for d in documents) + "\n```\n"
        return m.group(0) if name in KEEP else ""
    text = DIRECTIVE.sub(directive, text)
    return ROLE.sub(lambda m: f"[Page {m.group(2)}]" if m.group(1) == "page-break" else m.group(2), text)


def plain_copy(edition_root: Path, plain_root: Path, documents: list[str]) -> None:
    """The edition's pages (after ``edition convert``) for plain Sphinx: myst-parser and furo only."""
    src = edition_root / "docs"
    for page in sorted(src.rglob("*.md")):
        rel = page.relative_to(src)
        if rel.parts[0] == "annotations":
            continue
        out = plain_root / "docs" / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(strip_edition(page.read_text("utf-8"), documents), "utf-8")
    (plain_root / "conf.py").write_text(CONF.format(ext=str(_ext_dir()), n=len(documents), extensions='"myst_parser"', extra=""), "utf-8")
