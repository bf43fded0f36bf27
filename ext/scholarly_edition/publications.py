"""Published works that FRUS notes cite, told apart from archival references.

The FRUS editors cite other *Foreign Relations* volumes ("Foreign Relations, 1961–1963,
vol. XII, Document 295"), the *Public Papers of the Presidents*, the *Department of State
Bulletin*, the Department's *American Foreign Policy* documentary series and newspapers.
These are publications, not archives: they are never placed in the archival register, a FRUS
reference resolves to its own volume (and document) on history.state.gov, whose identifiers
this module derives as the Office of the Historian writes them (``frus1961-63v12``,
``frus1958-60v05``, ``frus1969-76ve10``, ``frus1952-54v14p2``), and "ibid." after a
publication continues the publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

_PAGES = r"(?:pp?\.|pages?) [A-Z]?\d+(?:[–-][A-Z]?\d+)?"
#: A FRUS volume: "Foreign Relations, 1961–1963, vol. XII, Document 295" (a volume title may follow the number).
FRUS_VOLUME = re.compile(
    r"\b(?P<series>Foreign Relations of the United States|Foreign Relations|FRUS),? (?P<years>\d{4}(?:[–-]\d{2,4})?),? "
    r"(?:[Vv]ol\.|[Vv]olume) (?P<vol>[IVXLC]+|E[–-]\d+|\d+)"
    r"(?:,? (?:[Pp]art|pt\.) (?P<part>\d+|[IVX]+))?"
    r"(?P<title>(?:, (?!Document\b|[Dd]oc\.|pp?\.)[A-Z][\w’'.–-]*(?: (?!Document\b)[\w’'.–-]+)*)*)"
    rf"(?:,? (?:Document|[Dd]oc\.) (?P<doc>\d+)|, (?P<pages>{_PAGES}))?"
)
#: The Public Papers of the Presidents: "Public Papers of the Presidents of the United States: Lyndon B. Johnson, 1965, Book I, pp. 449–451".
PUBLIC_PAPERS = re.compile(
    r"\bPublic Papers(?: of the Presidents(?: of the United States)?)?(?:: (?P<president>[A-Z][\w. ]*?[\w.]))?, (?P<year>\d{4})"
    rf"(?:, [Bb]ook (?P<book>[IV]+))?(?:, (?P<pages>{_PAGES}))?"
)
#: The Department of State Bulletin: "Department of State Bulletin, May 17, 1965, pp. 744–748".
BULLETIN = re.compile(rf"\bDepartment of State Bulletin(?:, (?P<date>(?:vol\. \w+, )?{MONTHS} \d{{1,2}}, \d{{4}}))?(?:, (?P<pages>{_PAGES}))?")
#: The Department's documentary series: "American Foreign Policy: Current Documents, 1963, pp. 254-255".
CURRENT_DOCUMENTS = re.compile(
    rf"\bAmerican Foreign Policy(?:: Current Documents, (?P<year>\d{{4}})|, (?P<years>\d{{4}}[–-]\d{{4}}): Basic Documents)(?:, (?P<pages>{_PAGES}))?"
)
#: Newspapers FRUS cites by name and date.
NEWSPAPER = re.compile(
    r"\b(?P<title>(?:The )?(?:New York Times|Washington Post|Wall Street Journal|Christian Science Monitor|"
    r"Los Angeles Times|Baltimore Sun|Washington Evening Star|Washington Star|Miami Herald|Times \(London\)))"
    rf"(?:, (?P<date>{MONTHS} \d{{1,2}}, \d{{4}}))?(?:, (?P<pages>{_PAGES}))?"
)


@dataclass
class Publication:
    """A published source: a FRUS volume, the Public Papers, the Bulletin, a newspaper.

    ``volume`` is the history.state.gov identifier of a FRUS volume (``frus1961-63v12``)
    and ``url`` its address (with ``/d<n>`` for a document); ``bib_key`` the key of the
    bibliography entry with the same address, when there is one.
    """

    text: str
    kind: str  # frus | public-papers | bulletin | current-documents | newspaper
    title: str
    volume: str = ""
    document: str = ""
    pages: str = ""
    date: str = ""
    url: str = ""
    ibid: bool = False
    bib_key: str = ""

    @property
    def expanded(self) -> str:
        parts = [self.title]
        if self.date:
            parts.append(self.date)
        if self.document:
            parts.append(f"Document {self.document}")
        if self.pages:
            parts.append(self.pages)
        return ", ".join(parts)


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        total += -value if index + 1 < len(text) and values[text[index + 1]] > value else value
    return total


def frus_volume_id(years: str, vol: str, part: str = "") -> str:
    """history.state.gov's identifier of a FRUS volume: ``1961–1963``, ``XII`` → ``frus1961-63v12``.

    The identifiers pad the volume number to two digits (``frus1958-60v05``), write the
    electronic-only volumes of 1969–1976 as ``ve10`` and parts as ``p2``.
    """
    m = re.match(r"(\d{4})(?:[–-](\d{2,4}))?$", years)
    if m is None:
        return ""
    span = m.group(1) + (f"-{m.group(2)[-2:]}" if m.group(2) else "")
    if vol[:1] == "E" and not set(vol) <= set("IVXLC"):
        number = f"ve{int(re.sub(r'[^0-9]', '', vol)):02d}"
    else:
        number = f"v{(int(vol) if vol.isdigit() else _roman(vol)):02d}"
    if part:
        number += f"p{int(part) if part.isdigit() else _roman(part)}"
    return f"frus{span}{number}"


def frus_url(volume: str, document: str = "") -> str:
    base = f"https://history.state.gov/historicaldocuments/{volume}"
    return f"{base}/d{document}" if document else base


def match_publication(text: str, at: int = 0) -> tuple[int, int, Publication] | None:
    """The publication that starts at or after ``at`` earliest in ``text``: (start, end, publication)."""
    best: tuple[int, int, Publication] | None = None
    for pattern in (FRUS_VOLUME, PUBLIC_PAPERS, BULLETIN, CURRENT_DOCUMENTS, NEWSPAPER):
        m = pattern.search(text, at)
        if m is None or (best is not None and m.start() >= best[0]):
            continue
        best = (m.start(), m.end(), _publication(pattern, m))
    return best


def text_before(m: re.Match[str], group: str) -> str:
    """The matched text up to the end of ``group`` (up to its start when it is the pages)."""
    end = m.start(group) if group == "pages" else m.end(group)
    return m.string[m.start():end].rstrip(", ")


def _publication(pattern: re.Pattern[str], m: re.Match[str]) -> Publication:
    if pattern is FRUS_VOLUME:
        volume = frus_volume_id(m["years"], m["vol"], m["part"] or "")
        title = text_before(m, "title")
        return Publication(m.group(0), "frus", title, volume=volume, document=m["doc"] or "", pages=m["pages"] or "",
                           url=frus_url(volume, m["doc"] or "") if volume else "")
    if pattern is PUBLIC_PAPERS:
        title = text_before(m, "pages") if m["pages"] else m.group(0)
        return Publication(m.group(0), "public-papers", title, pages=m["pages"] or "")
    if pattern is CURRENT_DOCUMENTS:
        title = text_before(m, "pages") if m["pages"] else m.group(0)
        return Publication(m.group(0), "current-documents", title, pages=m["pages"] or "")
    if pattern is BULLETIN:
        return Publication(m.group(0), "bulletin", "Department of State Bulletin", date=m["date"] or "", pages=m["pages"] or "")
    return Publication(m.group(0), "newspaper", m["title"], date=m["date"] or "", pages=m["pages"] or "")
