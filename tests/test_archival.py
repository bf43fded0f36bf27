"""The FRUS citation parser on real notes of the Foreign Relations series.

Every string below was read on history.state.gov (or its archived copies) and is copied
exactly; the address is given with each.  The parser must structure them with the
edition's registry (docs/annotations/archives/) and never lose a character.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarly_edition.archival import parse_notes
from scholarly_edition.archives import load_registry

ROOT = Path(__file__).resolve().parent.parent
V31 = "https://history.state.gov/historicaldocuments/frus1964-68v31"
E10 = "https://history.state.gov/historicaldocuments/frus1969-76ve10/ch3"
E11 = "https://history.state.gov/historicaldocuments/frus1969-76ve11p2/ch2"
V21 = "https://history.state.gov/historicaldocuments/frus1961-63v21/comp1 (UNT web archive)"
INTEL = "https://history.state.gov/historicaldocuments/frus1950-55Intel/ch1"


@pytest.fixture(scope="module")
def registry():
    loaded = load_registry(ROOT)
    assert loaded.problems == []
    return loaded.registry


def only(notes, registry):
    parsed = parse_notes(list(enumerate(notes, 1)), registry)
    for note in parsed:
        assert "".join(s.text for s in note.segments) == note.text  # nothing lost, nothing added
    return parsed


# (where seen, notes of one document in order, index of the note, expected levels of each citation in it)
REAL = [
    (f"{V31}/d151 n1", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 BOL. Secret; Priority. Drafted by William L.S. Williams and Roger Brewin (ARA/BC) and approved by Adams. Also sent to Paris for TOPOL."], 0,
     [{"repository": "National Archives and Records Administration", "collection": "RG 59", "series": "Central Files 1964–66", "file_unit": "POL 23–9 BOL"}]),
    (f"{E10} doc 78 (central files)", ["Source: National Archives, RG 59, Central Files 1967–69, POL 15–1 BOL. Secret; No Foreign Dissem; Limdis."], 0,
     [{"repository": "National Archives", "collection": "RG 59", "series": "Central Files 1967–69", "file_unit": "POL 15–1 BOL"}]),
    (f"{E10} doc 77 (presidential materials)", ["Source: National Archives, Nixon Presidential Materials, NSC Files, Box 770, Country Files, Bolivia, Vol 1. Secret. A note on the memorandum indicated the President saw it."], 0,
     [{"repository": "National Archives", "collection": "Nixon Presidential Materials", "series": "NSC Files", "file_unit": "Box 770, Country Files, Bolivia, Vol 1"}]),
    (f"{V31}/d157 n1–2 (presidential library, then Ibid. with a new collection)", [
        "Source: Johnson Library, National Security File, Country File, Bolivia, Vol. III, Memoranda, December 1964–September 1965. Secret.",
        "In a telephone conversation with President Johnson on June 5, McNamara stated that he was “worried” about a blowup in Bolivia. (Ibid., Recordings and Transcripts, Recording of telephone conversation between President Johnson and McNamara, Alpha Series, June 5, 1965, 4:50 p.m., Tape 6506.01, PNO 4)"], 1,
     [{"repository": "Johnson Library", "collection": "Recordings and Transcripts"}]),
    (f"{V31}/d177 n1–2 (bare Ibid.)", [
        "Source: Johnson Library, National Security File, Special Heads of State Correspondence, Bolivia, March 1, 1968. Confidential.",
        "A Department of State translation is attached but not printed. The Barrientos letter, July 8, was sent from New York. (Ibid.)"], 1,
     [{"repository": "Johnson Library", "collection": "National Security File", "series": "Special Heads of State Correspondence", "file_unit": "Bolivia, March 1, 1968"}]),
    (f"{E11} doc 59 (repeated to)", ["Source: National Archives, RG 59, Central Files 1970–73, POL 29 BOL. Confidential. Repeated to Buenos Aires, Brasília, Asunción, Lima, Santiago, Rio de Janeiro, and USCINCSO for POLAD."], 0,
     [{"series": "Central Files 1970–73", "file_unit": "POL 29 BOL"}]),
    (f"{E11} doc 60 (telegrams by number, Ibid. changing collection)", ["Source: National Archives, RG 59, Central Files 1970–73, POL 7 BOL. Confidential. A typewritten note attached to the memorandum reads, “Approved—see memo of 4/26 from Mrs. Davis. jlh.” The February 22 memorandum to the Department has not been found. In telegram 2063 from La Paz, April 11, Siracusa reported that he had informed Banzer that Nixon had approved the visit “in principle.” (Ibid.) In telegram 2708 from La Paz, May 7, Siracusa, on behalf of the President, extended an invitation to visit the United States. (Ibid., Nixon Presidential Materials, NSC Files, Box 770, Country Files, Latin America, Bolivia, Vol. 2, 1971–1974)"], 0,
     [{"file_unit": "POL 7 BOL"}, {"file_unit": "POL 7 BOL"}, {"repository": "National Archives", "collection": "Nixon Presidential Materials", "series": "NSC Files", "file_unit": "Box 770, Country Files, Latin America, Bolivia, Vol. 2, 1971–1974"}]),
    (f"{E11} doc 61 (prose ibid., ibid. back to RG 59)", ["Source: National Archives, Nixon Presidential Materials, NSC Files, Box 749, Presidential Correspondence, President Banzer, Bolivia, 1971–1974. No classification marking. The text is a translation prepared by Language Services; Banzer’s original letter in Spanish is ibid. On April 6, Banzer expressed similar concerns to U.S. officials in La Paz. (Telegram 1961 from La Paz; ibid., RG 59, Central Foreign Policy File, [no film number])"], 0,
     [{"collection": "Nixon Presidential Materials"}, {"collection": "Nixon Presidential Materials", "file_unit": "Box 749, Presidential Correspondence, President Banzer, Bolivia, 1971–1974"}, {"repository": "National Archives", "collection": "RG 59", "series": "Central Foreign Policy File", "file_unit": "[no film number]"}]),
    (f"{V21} doc 1 (lot file)", ["Source: Department of State, Conference Files: Lot 66 D 110. Confidential. Drafted by Root; cleared by Valdes, McBride, and Witman; and approved by Collopy. This paper was part of the Briefing Book prepared for the President's visit to France May 31-June 2, 1961."], 0,
     [{"repository": "Department of State", "series": "Conference Files: Lot 66 D 110"}]),
    (f"{V21} doc 3 (decimal central file)", ["Source: Department of State, Central Files, 770.00/1-2963. Secret. Drafted by Newsom, cleared by Davies, and approved by Williams. Repeated to Benghazi, Tripoli, Tunis, and London and pouched to Algiers and Rabat."], 0,
     [{"repository": "Department of State", "series": "Central Files", "file_unit": "770.00/1-2963"}]),
    (f"{V21} doc 4 (lot file with a folder)", ["Source: Department of State, S/P Files: Lot 70 D 199, AF-1963. Confidential. A handwritten marginal notation on the source text indicates that the paper was discussed at the Secretary's Policy Planning meeting on July 30."], 0,
     [{"series": "S/P Files: Lot 70 D 199", "file_unit": "AF-1963"}]),
    (f"{V21} doc 6 (Kennedy Library)", ["Source: Kennedy Library, National Security Files, Countries Series, Algeria, Proposed Ben Bella Visit. Confidential."], 0,
     [{"repository": "Kennedy Library", "collection": "National Security Files", "series": "Countries Series", "file_unit": "Algeria, Proposed Ben Bella Visit"}]),
    ("https://history.state.gov/historicaldocuments/frus1969-76ve10/ch3?start=31 doc 108 (CIA job)", ["Source: Central Intelligence Agency, Executive Registry, DCI Helms, Job 80–B01285A, Box 13, Folder 8, DCI HELMS, 1 July–31 Dec 1971. Secret; Sensitive; Eyes Only."], 0,
     [{"repository": "Central Intelligence Agency", "collection": "Executive Registry", "series": "DCI Helms, Job 80–B01285A", "file_unit": "Box 13, Folder 8, DCI HELMS, 1 July–31 Dec 1971"}]),
    (f"{INTEL} doc 7 (CIA, Directorate of Operations)", ["Source: Central Intelligence Agency, Directorate of Operations, Job 80–01795R, Box 2, Folder 7. Top Secret. Drafted by [name not declassified]."], 0,
     [{"collection": "Directorate of Operations", "series": "Job 80–01795R", "file_unit": "Box 2, Folder 7"}]),
    (f"{INTEL} doc 121 (Defense: National Security Agency)", ["Source: National Security Agency, Center for Cryptologic History, Series V, F.7.12. Top Secret; Security Information."], 0,
     [{"repository": "National Security Agency", "collection": "Center for Cryptologic History", "series": "Series V", "file_unit": "F.7.12"}]),
    (f"{INTEL} doc 2 (prose ibid. and Ibid. in lot files)", ["Source: National Archives, RG 59, S/S–NSC Files: Lot 66 D 148, Psychological Warfare. Secret. NSC Action No. 283 recorded that the Council approved NSC 59 as amended by memorandum action of March 9. The report in its approved form (printed here) was circulated as NSC 59/1 under cover of a March 9 note from Lay and submitted to the President for consideration. NSC Action No. 283 is ibid., S/S–NSC Files: Lot 66 D 95, Records of Action by the National Security Council. A memorandum from Lay to the National Security Council, March 10, indicates that the President approved NSC 59/1 on March 10. (Ibid., S/P–NSC Files: Lot 62 D 1, 1935–62, Box 115)"], 0,
     [{"series": "S/S–NSC Files: Lot 66 D 148"}, {"collection": "RG 59", "series": "S/S–NSC Files: Lot 66 D 95", "file_unit": "Records of Action by the National Security Council"}, {"collection": "RG 59", "series": "S/P–NSC Files: Lot 62 D 1", "file_unit": "1935–62, Box 115"}]),
    ("https://history.state.gov/historicaldocuments/frus1961-63v23/ch1?start=31 doc 31 (memorandum cited in a note)", ["Source: Kennedy Library, National Security Files, Countries Series, Laos, General, 5/26/62–5/31/62. Top Secret. Deputy Director of INR Thomas Hughes sent a copy of this memorandum to Rusk on May 15 explaining that the President had requested it and suggesting that the Secretary might find it of immediate use. (Memorandum from Hughes to Rusk; Department of State, Central Files, 379/4–1562)"], 0,
     [{"file_unit": "Laos, General, 5/26/62–5/31/62"}, {"repository": "Department of State", "series": "Central Files", "file_unit": "379/4–1562"}]),
    ("state.gov archive, FRUS 1964–68 XXXIV doc 63 (record group named in full)", ["Source: National Archives and Records Administration, RG 59, Records of the Department of State, Central Files, 1964-66, TEL 6. Limited Official Use. This position paper, prepared for a meeting with members of the European Conference on Satellite Communications and Canadian officials, is an enclosure to a letter from Assistant Secretary of State for International Organization Affairs Harland Cleveland to Legal Adviser Abram Chayes."], 0,
     [{"collection": "RG 59, Records of the Department of State", "series": "Central Files, 1964-66", "file_unit": "TEL 6"}]),
    (f"{INTEL} doc 128 (Truman Library)", ["Source: Truman Library, Papers of Harry S. Truman, President’s Secretary’s Files. Top Secret."], 0,
     [{"repository": "Truman Library", "collection": "Papers of Harry S. Truman", "series": "President’s Secretary’s Files"}]),
]


@pytest.mark.parametrize("seen, notes, index, expected", REAL, ids=[r[0][-60:] for r in REAL])
def test_real_frus_citations_are_structured(registry, seen, notes, index, expected):
    parsed = only(notes, registry)
    note = parsed[index]
    assert note.issues == []
    assert len(note.citations) == len(expected), [c.text for c in note.citations]
    for citation, levels in zip(note.citations, expected):
        for level, text in levels.items():
            assert citation.levels.get(level) == text, (level, citation.levels)


def test_at_least_fifteen_real_strings():
    assert len(REAL) >= 15


def test_source_note_is_split_into_citation_handling_and_remarks(registry):
    note = only([REAL[0][1][0]], registry)[0]
    assert note.part_text("source") == "Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 BOL. "
    assert note.part_text("classification") == "Secret; Priority."
    assert note.part_text("drafting").strip() == "Drafted by William L.S. Williams and Roger Brewin (ARA/BC) and approved by Adams."
    assert note.part_text("transmission").strip() == "Also sent to Paris for TOPOL."


def test_handling_and_remarks_of_other_forms(registry):
    doc3 = only([REAL[9][1][0]], registry)[0]
    assert doc3.part_text("classification") == "Secret."
    assert doc3.part_text("drafting").strip() == "Drafted by Newsom, cleared by Davies, and approved by Williams."
    assert doc3.part_text("transmission").strip().startswith("Repeated to Benghazi")
    nixon = only(REAL[7][1], registry)[0]
    assert nixon.part_text("classification") == "No classification marking."


def test_ibid_is_resolved_and_expanded(registry):
    note = only(REAL[6][1], registry)[0]
    bare = note.citations[1]
    assert bare.ibid and bare.text == "Ibid."
    assert bare.expanded == "National Archives, RG 59, Central Files 1970–73, POL 7 BOL"
    changed = note.citations[2]
    assert changed.inherited == ("repository",)
    assert changed.expanded.startswith("National Archives, Nixon Presidential Materials, NSC Files, Box 770")


def test_document_references_are_recognised(registry):
    note = only(REAL[6][1], registry)[0]
    refs = [(d.kind, d.number, d.direction, d.post) for d in note.documents]
    assert refs == [("telegram", "2063", "from", "La Paz"), ("telegram", "2708", "from", "La Paz")]
    memo = only(REAL[16][1], registry)[0]
    assert any(s.kind == "document-description" and s.text == "Memorandum from Hughes to Rusk" for s in memo.segments)
    see = only(["Although Nachmanoff said Flannery acted prematurely in passing funds to the opposition, Helms told Kissinger on August 24 the 40 Committee had ordered the passing of the funds. See Document 108."], registry)[0]
    assert see.documents[0].kind == "frus-document" and see.documents[0].frus_numbers == ("108",)


def test_lot_numbers_are_kept(registry):
    note = only(REAL[8][1], registry)[0]
    assert note.citations[0].lot == "Lot 66 D 110"
    cia = only(REAL[12][1], registry)[0]
    assert cia.citations[0].lot == "Job 80–B01285A"


def test_non_references_in_parentheses_stay_prose(registry):
    note = only(["A November 4 situation report from Mann to the Special Group (Counter-Insurgency) indicated that the coup began early on November 3."], registry)[0]
    assert note.citations == [] and note.issues == []


def test_unparseable_citation_stays_verbatim_with_a_warning(registry):
    text = "The letter is among his papers. (Hoover Institution Archives, Lovestone Papers, Box 12)"
    note = only([text], registry)[0]
    assert note.citations == []
    assert [i.severity for i in note.issues] == ["warning"]
    assert "“Hoover Institution Archives, Lovestone Papers, Box 12”" in note.issues[0].message
    assert any(s.kind == "unparsed" and s.text == "Hoover Institution Archives, Lovestone Papers, Box 12" for s in note.segments)


def test_ibid_with_nothing_before_it_is_an_error(registry):
    note = only(["The reply is ibid., POL 15 BOL. (Ibid.)"], registry)[0]
    assert {i.severity for i in note.issues} == {"error"}
    assert "has no earlier reference" in note.issues[0].message
    assert "".join(s.text for s in note.segments) == note.text
