"""The ``edition`` command line.

``edition convert`` turns ``sources/`` into ``docs/documents/``; ``--check`` verifies the
committed pages instead of writing them.  Errors are printed as ``path:line: error: ...``
and the exit status is non-zero; no page is written when any source has a problem.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

from .convert import convert
from .errors import EditionError
from .fileio import write_atomic
from .metadata import load_all


def _project_root(start: Path) -> Path:
    """The nearest directory holding conf.py: commands work from any sub-directory."""
    for candidate in (start, *start.parents):
        if (candidate / "conf.py").exists() and (candidate / "sources").is_dir():
            return candidate
    return start


def cmd_convert(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve() if args.root else _project_root(Path.cwd())
    sources = root / args.sources
    out_dir = root / args.output
    documents = load_all(sources, root)
    if not documents:
        print(f"{sources}: error: no source metadata files (*.yaml) found", file=sys.stderr)
        return 2
    conversions, problems = [], []
    for doc in documents:
        try:
            conversions.append(convert(doc, root))
        except EditionError as exc:
            problems.extend(exc.problems)
    if problems:
        raise EditionError(problems)
    stale: list[str] = []
    written = 0
    for conversion in conversions:
        target = out_dir / f"{conversion.document.id}.md"
        current = target.read_text("utf-8") if target.exists() else None
        if current == conversion.markdown:
            continue
        if args.check:
            stale.append(str(target.relative_to(root)))
        else:
            write_atomic(target, conversion.markdown)
            written += 1
    if args.check:
        known = {f"{c.document.id}.md" for c in conversions}
        orphans = sorted(p.name for p in out_dir.glob("*.md") if p.name not in known) if out_dir.exists() else []
        for name in orphans:
            print(f"{args.output}/{name}: error: page has no source in {args.sources}/", file=sys.stderr)
        for path in stale:
            print(f"{path}: error: page differs from what conversion produces", file=sys.stderr)
            print("    hint: run `make convert` (never edit generated pages by hand)", file=sys.stderr)
        return 1 if stale or orphans else 0
    if not args.quiet:
        print(f"converted {len(conversions)} sources: {written} page(s) written, {len(conversions) - written} up to date")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate sources and every annotation file without a Sphinx build."""
    import time

    from .checks import run_all
    from .corpus import Corpus

    started = time.perf_counter()
    root = Path(args.root).resolve() if args.root else _project_root(Path.cwd())
    # The run builds millions of small objects and frees them at exit: the cycle collector's
    # passes over them cost a seventh of the time and free nothing worth having.
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        corpus, problems, broken = Corpus.load_partial(root)
        problems += _without_cascades(run_all(corpus, parallel=True), broken, root)
    finally:
        if collecting:
            gc.enable()
    if problems:  # one write, not one per problem (stderr is line-buffered; 30,000 warnings at N = 800)
        sys.stderr.write("".join(problem.format() + "\n" for problem in problems))
        sys.stderr.flush()
    errors = [p for p in problems if p.severity == "error"]
    warnings = sum(1 for p in problems if p.severity == "warning")
    elapsed = time.perf_counter() - started
    if not args.quiet:
        print(f"checked {len(corpus.documents)} documents and their annotations in {elapsed:.2f} s: {len(errors)} error(s), {warnings} warning(s)")
    if getattr(args, "archival_report", False):
        from .archives import archival_report, load_registry, parse_corpus_notes

        parsed, _problems = parse_corpus_notes(corpus, load_registry(corpus.root).registry)
        print("\n".join(archival_report(parsed).lines()))
    return 1 if errors else 0


def _conf_release(root: Path) -> str:
    """The edition's ``release`` as its conf.py sets it (conf.py is run, as Sphinx runs it)."""
    import os
    import runpy

    conf = root / "conf.py"
    if not conf.exists():
        return ""
    cwd = os.getcwd()
    try:
        os.chdir(root)
        return str(runpy.run_path(str(conf)).get("release", "") or "")
    finally:
        os.chdir(cwd)


def _item_text(root: Path, problem) -> str:
    """The YAML item a problem points at (its line and the lines of the same item below)."""
    path = root / problem.path
    if not problem.line or not path.is_file() or path.is_symlink():
        return ""
    lines = path.read_text("utf-8", errors="replace").split("\n")
    first = lines[problem.line - 1] if problem.line <= len(lines) else ""
    indent = len(first) - len(first.lstrip(" -"))
    block = [first]
    for line in lines[problem.line:problem.line + 40]:
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and len(line) - len(stripped) < indent or (line.strip() and len(line) - len(line.lstrip(" ")) < indent - 2):
            break
        block.append(line)
    return "\n".join(block)


def _without_cascades(problems: list, broken: dict[str, str], root: Path) -> list:
    """Set aside the follow-on problems of documents that could not be loaded.

    A broken source makes every annotation on it look wrong (its anchors are unknown, its
    entities unmentioned); the cause is reported once, and one note per broken document
    says which files had problems skipped because of it.  Warnings are held back too
    while a document is missing: they would be judged on an incomplete edition."""
    import re

    from .errors import Problem

    if not broken:
        return problems
    pattern = re.compile(r"(?<![a-z0-9-])(" + "|".join(re.escape(d) for d in sorted(broken, key=len, reverse=True)) + r")(?![a-z0-9])")
    kept: list = []
    skipped: dict[str, set[str]] = {}
    held_back = 0
    for problem in problems:
        if problem.path in broken.values():
            kept.append(problem)
            continue
        found = pattern.search(problem.message) or pattern.search(Path(problem.path).stem) or pattern.search(_item_text(root, problem))
        if found:
            skipped.setdefault(found.group(1), set()).add(problem.path)
            continue
        if problem.severity == "warning":
            held_back += 1
            continue
        kept.append(problem)
    for doc_id, paths in sorted(skipped.items()):
        kept.append(Problem(broken[doc_id], None, f"checks that concern {doc_id!r} were skipped in {', '.join(sorted(paths))}: the document could not be loaded (see above)", "fix the problems of the document first, then run `edition check` again", severity="note"))
    if held_back:
        kept.append(Problem("edition check", None, f"{held_back} warning(s) held back: they would be judged without the documents that could not be loaded", "fix those documents, then run `edition check` again", severity="note"))
    return kept


def cmd_anchors(args: argparse.Namespace) -> int:
    """Compare the anchor registry with a build's objects.inv; with --update, append new anchors."""
    from . import anchors

    root = Path(args.root).resolve() if args.root else _project_root(Path.cwd())
    registry = root / args.registry
    inventory = Path(args.inventory) if args.inventory else root / "_build" / "html" / "objects.inv"
    if not inventory.exists():
        print(f"{inventory}: error: no objects.inv; build the edition first (make html)", file=sys.stderr)
        return 2
    from .corpus import Corpus

    current = anchors.from_inventory(inventory)
    fingerprints = Corpus.load(root).fingerprints
    shown = args.registry
    entries, problems = anchors.load(registry, shown)
    problems += anchors.check(entries, current, shown)
    problems += anchors.check_fingerprints(entries, fingerprints, shown)
    problems += anchors.check_released(entries, root)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    if problems:
        return 1
    if args.update:
        release = args.release or _conf_release(root)
        if not release:
            print(f"{root / 'conf.py'}: error: no release to name the new anchors by", file=sys.stderr)
            print("    hint: set release in conf.py (the edition's version, not the toolkit's), or pass --release", file=sys.stderr)
            return 2
        added = anchors.update(registry, current, release, fingerprints, root / anchors.RELEASED_DIR)
        print(f"{shown}: {len(added)} new anchor(s) registered, {len(entries)} already listed; kept as {anchors.RELEASED_DIR}/{release}.txt")
        from .release import update_citation_cff

        cff = root / "CITATION.cff"
        if cff.exists():
            released = _dt.date.fromisoformat(args.date) if args.date else _dt.datetime.now(_dt.timezone.utc).date()
            written = update_citation_cff(cff, release, released, args.url or "")
            print(f"CITATION.cff: " + ", ".join(f"{k} {v}" for k, v in written.items()))
        return 0
    fresh = anchors.new_anchors(entries, current)
    print(f"{shown}: {len(entries)} anchor(s) registered, all published; {len(fresh)} published anchor(s) not registered yet")
    if fresh and args.check:
        for anchor in fresh[:20]:
            print(f"    unregistered: {anchor.anchor} ({anchor.kind} on {anchor.page})", file=sys.stderr)
        print("    hint: run `make anchors` when you cut a release", file=sys.stderr)
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Print, or append with --write, a ready template for a new annotation or document."""
    from . import scaffold
    from .corpus import Corpus

    root = Path(args.root).resolve() if args.root else _project_root(Path.cwd())
    if args.what == "document":
        from .structure_detect import detect

        text = Path(args.text_file).read_bytes().decode("utf-8-sig", errors="replace")
        detection = detect(text, args.id, args.url or "", args.author or [])
        if args.summary:
            detection.metadata["summary"] = args.summary
        written = scaffold.new_document(root, args.id, Path(args.text_file), args.title, args.outlet, args.genre, args.date, args.rights, args.author or [], args.language, args.date_basis or "",
                                        detection=detection, url=args.url or "")
        for path in written:
            print(f"wrote {path.relative_to(root)}")
        print(f"detected in the text ({len(detection.findings)} finding(s), written to sources/{args.id}.yaml):")
        for finding in detection.findings:
            print("  " + finding.format(f"sources/{args.id}.txt").replace("\n", "\n  "))
        todo = "" if args.summary else f"write the summary in sources/{args.id}.yaml (it says '[to be written]'), "
        print(f"next: {todo}check the structure hints, then `make convert` and `edition check`")
        return 0
    if args.what == "archive":
        from .scaffold_archive import new_archive, write_archive

        path, text = new_archive(root, args.id, args.name, args.form or [], args.level, args.parent or "", args.kind or "",
                                 args.abbreviation or "", args.place or "", args.url or "", args.description or "")
        if args.write:
            write_archive(path, text)
            print(f"wrote {path.relative_to(root)}; now run `edition check`")
        else:
            print(f"# new file {path.relative_to(root)}:")
            print(text, end="")
        return 0
    corpus = Corpus.load(root)
    header = ""
    if args.what == "note":
        path, snippet = scaffold.new_note(corpus, args.anchor, args.quote, args.kind, args.id, args.text or "", args.prefix or "", args.suffix or "", args.correction or "", args.see)
        header = scaffold.NOTE_FILE_HEADER.format(doc=corpus.paragraphs[args.anchor].doc_id)
    elif args.what == "entity":
        path, snippet = scaffold.new_entity(corpus, args.id, args.kind, args.headword, args.sort or "", args.alias or [], args.attested, args.description or "")
    else:
        path, snippet = scaffold.new_event(corpus, args.id, args.date, args.kind, args.title, args.anchor, args.quote or "", args.description or "")
        header = "events:\n"
    if args.write:
        scaffold.write(path, snippet, header)
        print(f"appended to {path.relative_to(root)}; now run `edition check`")
    else:
        print(f"# add to {path.relative_to(root)}:")
        print(snippet, end="")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Write a new edition into DIR; ask for what no flag gives, unless --yes or no terminal."""
    from .init import LICENCES, Answers, default_toolkit, init_edition

    interactive = not args.yes and sys.stdin.isatty()

    def ask(question: str, given: str | None, default: str) -> str:
        if given is not None:
            return given
        if not interactive:
            return default
        reply = input(f"{question} [{default}]: ").strip()
        return reply or default

    title = ask("Title of the edition", args.title, "An Annotated Edition")
    editors = ask("Editors (comma-separated)", args.editors, "")
    answers = Answers(
        title=title,
        editors=[name.strip() for name in editors.split(",") if name.strip()],
        licence=ask(f"Licence of the edition's texts and annotations ({', '.join(LICENCES)})", args.licence, "CC-BY-4.0"),
        base_url=ask("Public address of the edition (empty until it has one)", args.base_url, ""),
        language=ask("Language of the edition (a language tag)", args.language, "en"),
        toolkit=args.toolkit or default_toolkit(),
    )
    target = Path(args.directory).resolve()
    written = init_edition(target, answers)
    if not args.quiet:
        print(f"wrote a new edition in {target} ({len(written)} files); the toolkit is installed from {answers.toolkit}")
        print(f"next: make -C {args.directory} html test   (then replace the example document: see CONTRIBUTING.md)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edition", description="Tools of the annotated edition.")
    sub = parser.add_subparsers(dest="command", required=True)
    conv = sub.add_parser("convert", help="convert sources/ into MyST pages in docs/documents/")
    conv.add_argument("--check", action="store_true", help="exit non-zero when a committed page differs; write nothing")
    conv.add_argument("--root", help="project root (default: nearest directory with conf.py)")
    conv.add_argument("--sources", default="sources", help="sources directory, relative to the root")
    conv.add_argument("--output", default="docs/documents", help="output directory, relative to the root")
    conv.add_argument("-q", "--quiet", action="store_true")
    conv.set_defaults(func=cmd_convert)
    check = sub.add_parser("check", help="validate sources and annotation files without a build")
    check.add_argument("--root", help="project root (default: nearest directory with conf.py)")
    check.add_argument("-q", "--quiet", action="store_true")
    check.add_argument("--archival-report", action="store_true", help="also print how each level of every archival reference was recognised (registry, pattern, guess)")
    check.set_defaults(func=cmd_check)

    new = sub.add_parser("new", help="print (or --write) a template for a new note, entity, event, archive or document")
    kinds = new.add_subparsers(dest="what", required=True)
    note = kinds.add_parser("note", help="an editorial note on an exact quote of a paragraph")
    note.add_argument("--anchor", required=True, help="paragraph anchor, <document id>-p<number>, e.g. example-p3")
    note.add_argument("--quote", required=True, help="the exact words the note is about")
    note.add_argument("--kind", default="explanation", choices=["explanation", "sic", "emendation", "cross-reference", "disagreement"])
    note.add_argument("--id", required=True, help="a short id, unique in the document's notes")
    note.add_argument("--text", help="the note (MyST inline markup)")
    note.add_argument("--prefix"), note.add_argument("--suffix"), note.add_argument("--correction")
    note.add_argument("--see", nargs="*", help="anchors the note refers to")
    entity = kinds.add_parser("entity", help="a person, organisation, place or term of the glossary")
    entity.add_argument("--id", required=True), entity.add_argument("--kind", required=True)
    entity.add_argument("--headword", required=True), entity.add_argument("--sort")
    entity.add_argument("--alias", action="append", help="a surface form in the texts (repeat)")
    entity.add_argument("--attested", nargs="+", required=True, help="anchors that attest the description")
    entity.add_argument("--description")
    event = kinds.add_parser("event", help="a dated event of the chronology")
    event.add_argument("--id", required=True), event.add_argument("--date", required=True, help="EDTF")
    event.add_argument("--kind", required=True), event.add_argument("--title", required=True)
    event.add_argument("--anchor", required=True), event.add_argument("--quote"), event.add_argument("--description")
    document = kinds.add_parser("document", help="a new source document (text copied verbatim, metadata, bibliography, date event)")
    document.add_argument("--id", required=True), document.add_argument("--text-file", required=True)
    document.add_argument("--title", required=True), document.add_argument("--outlet", required=True)
    document.add_argument("--genre", required=True, choices=["primary source", "journalism", "scholarship"])
    document.add_argument("--date", required=True, help="EDTF"), document.add_argument("--date-basis")
    document.add_argument("--rights", required=True), document.add_argument("--language", default="en")
    document.add_argument("--author", action="append", help='"Given Family" (repeat); omit when not named in the source')
    document.add_argument("--summary", help="one or two sentences for the document's card on the landing page (else written by hand later)")
    document.add_argument("--url", help="the copy's address; for FRUS (history.state.gov) it gives the volume and document number")
    archive = kinds.add_parser("archive", help="a repository, collection or series of the archival register")
    archive.add_argument("--id", required=True), archive.add_argument("--name", required=True, help="the full name")
    archive.add_argument("--form", action="append", help="a form in which source notes write the name, as printed (repeat; default: the name)")
    archive.add_argument("--level", default="repository", choices=["repository", "collection", "series"])
    archive.add_argument("--parent", help="id of the repository or collection a collection or series belongs to")
    archive.add_argument("--kind", help="e.g. record group, papers, lot file"), archive.add_argument("--abbreviation")
    archive.add_argument("--place"), archive.add_argument("--url", help="https:// address"), archive.add_argument("--description")
    for sub_parser in (note, entity, event, document, archive):
        sub_parser.add_argument("--root", help="project root (default: nearest directory with conf.py)")
        sub_parser.add_argument("--write", action="store_true", help="append to the annotation file instead of printing")
    new.set_defaults(func=cmd_new)
    anch = sub.add_parser("anchors", help="check the registry of published anchors against a build; --update appends new ones")
    anch.add_argument("--update", action="store_true", help="append anchors the build publishes that the registry lacks")
    anch.add_argument("--check", action="store_true", help="also fail when a published anchor is not registered yet")
    anch.add_argument("--inventory", help="objects.inv of the build (default: _build/html/objects.inv)")
    anch.add_argument("--date", help="with --update: the release date for CITATION.cff (ISO 8601; default: today, UTC)")
    anch.add_argument("--url", help="with --update: the edition's public address for CITATION.cff")
    anch.add_argument("--registry", default="docs/anchors.txt", help="registry file, relative to the root")
    anch.add_argument("--release", help="release named in the comment above new lines (default: the release set in conf.py)")
    anch.add_argument("--root", help="project root (default: nearest directory with conf.py)")
    anch.set_defaults(func=cmd_anchors)
    init = sub.add_parser("init", help="write a new edition (conf.py, docs/, sources/, Makefile, CI, an example document) into DIR")
    init.add_argument("directory", metavar="DIR", help="the new edition's directory (absent or empty)")
    init.add_argument("--title", help="the edition's title")
    init.add_argument("--editors", help="the editors' names, comma-separated")
    init.add_argument("--licence", "--license", dest="licence", help="licence of the edition's own texts and annotations (SPDX: CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0)")
    init.add_argument("--base-url", help="the edition's public address, ending in '/' (empty until it has one)")
    init.add_argument("--language", help="the edition's language tag (default en)")
    init.add_argument("--toolkit", help="what the new edition's Makefile installs the toolkit from: a path or a pip requirement "
                      "(default: the directory this toolkit was installed from, e.g. ./ext of a checkout, else sphinx-scholarly-edition==<version>)")
    init.add_argument("--yes", "-y", action="store_true", help="ask nothing: defaults for every question without a flag")
    init.add_argument("-q", "--quiet", action="store_true")
    init.set_defaults(func=cmd_init)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except EditionError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
