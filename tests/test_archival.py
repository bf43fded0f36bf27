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


# --------------------------------------------------------------------------- cases of issue 17
#
# Written for these tests in the form FRUS notes take (read in several volumes of 1958–1976
# on history.state.gov and in the HistoryAtState/frus TEI files); no note is copied.  Each
# case: (label, failure class, the notes of one document in order, the index of the note
# checked, what it must give).  ``cites`` lists the exact levels of each archival citation;
# ``pubs`` each publication as (kind, title, address, document, pages); ``docs`` each
# document reference as (kind, number, direction, post, time stamp); ``parts`` the text of
# parts of a source note; ``series_id`` the register id of the first citation's series;
# ``warn`` the words each warning must contain (no ``warn``: the parse has no issue).

NARA = "National Archives and Records Administration"
HSG = "https://history.state.gov/historicaldocuments/"
LBJ_NSF = {"repository": "Johnson Library", "collection": "National Security File"}


def cf(code, series="Central Files 1964–66", repository=NARA):
    return {"repository": repository, "collection": "RG 59", "series": series, "file_unit": code}


CASES = [
    # 1. "Ibid., <continuation>"
    ("long country tag", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 7 GUYANA. Confidential."], 0,
     {"cites": [cf("POL 7 GUYANA")]}),
    ("ibid with a long country tag", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 7 GUYANA. Confidential.",
                                              "The Premier answered two days later. (Ibid., POL 15–1 GUYANA)"], 1,
     {"cites": [cf("POL 15–1 GUYANA")], "inherited": ("repository", "collection", "series")}),
    ("two-word country tag", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 DOM REP. Secret; Immediate."], 0,
     {"cites": [cf("POL 23–9 DOM REP")], "parts": {"classification": "Secret; Immediate."}}),
    ("country tag with a sub-subject", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, FN 10 DOM REP/IMF. Secret.",
                                                "The Fund's mission reported separately. (Ibid., FN 10 DOM REP)"], 1,
     {"cites": [cf("FN 10 DOM REP")]}),
    ("one-letter tail of a tag", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 27 VIET S. Top Secret; Nodis."], 0,
     {"cites": [cf("POL 27 VIET S")]}),
    ("multi-part subject code", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1967–69, SCI 1–1 EURW–US. Limited Official Use."], 0,
     {"cites": [cf("SCI 1–1 EURW–US", "Central Files 1967–69")]}),
    ("prose ibid with a multi-part code", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1967–69, SCI 1–1 EURW–US. Limited Official Use.",
                                                   "The earlier exchange of letters is ibid., SCI 31–1 EURW–US."], 1,
     {"cites": [cf("SCI 31–1 EURW–US", "Central Files 1967–69")]}),
    ("two-country code", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, DEF 19–8 US–BOL. Secret."], 0,
     {"cites": [cf("DEF 19–8 US–BOL")]}),
    ("range of decimal files", "ibid", ["Source: Department of State, Central Files, 739.00/10-261 through 739.00/11-1661. Secret."], 0,
     {"cites": [{"repository": "Department of State", "series": "Central Files", "file_unit": "739.00/10-261 through 739.00/11-1661"}]}),
    ("ibid after a range", "ibid", ["Source: Department of State, Central Files, 739.00/10-261 through 739.00/11-1661. Secret.",
                                    "A later report is ibid., 739.00/11-2061."], 1,
     {"cites": [{"repository": "Department of State", "series": "Central Files", "file_unit": "739.00/11-2061"}]}),
    ("decimal file with a subject suffix, then lowercase ibid", "ibid", ["Source: Department of State, Central Files, 033.1100–NI/5–958. Unclassified; Priority. Transmitted in telegram 412 to Quito.",
                                                                          "The Vice President answered from Bogotá. (ibid., 033.1100–NI/5–1258)"], 1,
     {"cites": [{"repository": "Department of State", "series": "Central Files", "file_unit": "033.1100–NI/5–1258"}]}),
    ("range of subject files", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 BOL through POL 27 BOL. Secret."], 0,
     {"cites": [cf("POL 23–9 BOL through POL 27 BOL")]}),
    ("ibid, Vol.", "ibid", ["Source: Johnson Library, National Security File, Country File, Bolivia, Vol. III, Memos, 12/64–9/65. Secret.",
                            "The reply came a month later. (Ibid., Vol. IV, Memos, 10/65–6/66)"], 1,
     {"cites": [{**LBJ_NSF, "series": "Country File", "file_unit": "Bolivia, Vol. IV, Memos, 10/65–6/66"}]}),
    ("prose ibid, Vol.", "ibid", ["Source: Johnson Library, National Security File, Country File, Peru, Vol. 2, Cables. Secret.",
                                  "The Embassy's comment is ibid., Vol. 3, Cables."], 1,
     {"cites": [{**LBJ_NSF, "series": "Country File", "file_unit": "Peru, Vol. 3, Cables"}]}),
    ("ibid, Vol. with no volume before", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 7 GUYANA. Confidential.",
                                                  "See the later file. (Ibid., Vol. 2)"], 1,
     {"cites": [cf("Vol. 2")], "warn": ["is a guess (file unit)"]}),
    ("ibid, a series of the same collection", "ibid", ["Source: Johnson Library, National Security File, Country File, Bolivia, Vol. III, Memos. Secret.",
                                                        "The letter went by pouch. (Ibid., Special Heads of State Correspondence, Bolivia)"], 1,
     {"cites": [{**LBJ_NSF, "series": "Special Heads of State Correspondence", "file_unit": "Bolivia"}], "inherited": ("repository", "collection")}),
    ("ibid, a folder title", "ibid", ["Source: Johnson Library, National Security File, Special Heads of State Correspondence, Bolivia. Secret.",
                                      "A draft is in another folder. (Ibid., Bolivia—Presidential Correspondence)"], 1,
     {"cites": [{**LBJ_NSF, "series": "Special Heads of State Correspondence", "file_unit": "Bolivia—Presidential Correspondence"}],
      "warn": ["is a guess (file unit)"]}),
    ("ibid, an item title", "ibid", ["Source: Johnson Library, National Security File, Country File, Chile, Vol. 1. Secret.",
                                     "The two men spoke again that evening. (Ibid., Recording of telephone conversation between President Johnson and Rusk, May 2, 1965)"], 1,
     {"cites": [{**LBJ_NSF, "series": "Country File", "file_unit": "Chile, Vol. 1", "item": "Recording of telephone conversation between President Johnson and Rusk, May 2, 1965"}]}),
    ("ibid, a lot file", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 15 BOL. Secret.",
                                  "(Ibid., ARA/BC Files: Lot 70 D 443, Bolivia 1965)"], 1,
     {"cites": [{"repository": NARA, "collection": "RG 59", "series": "ARA/BC Files: Lot 70 D 443", "file_unit": "Bolivia 1965"}], "lot": "Lot 70 D 443"}),
    ("ibid, a record group", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 15 BOL. Secret.",
                                      "(Ibid., RG 84, La Paz Embassy Files: FRC 71 A 2420, POL 23)"], 1,
     {"cites": [{"repository": NARA, "collection": "RG 84", "series": "La Paz Embassy Files: FRC 71 A 2420", "file_unit": "POL 23"}]}),
    ("ibid, a box", "ibid", ["Source: Central Intelligence Agency, Directorate of Operations, Job 78–01450R, Box 3, Folder 2. Secret.",
                             "(Ibid., Box 4, Folder 1)"], 1,
     {"cites": [{"repository": "Central Intelligence Agency", "collection": "Directorate of Operations", "series": "Job 78–01450R", "file_unit": "Box 4, Folder 1"}]}),
    ("ibid, another repository", "ibid", ["Source: Department of State, Central Files, 611.24/3-1561. Secret.",
                                          "(Ibid., Kennedy Library, National Security Files, Countries Series, Bolivia, General)"], 1,
     {"cites": [{"repository": "Kennedy Library", "collection": "National Security Files", "series": "Countries Series", "file_unit": "Bolivia, General"}]}),
    ("bare ibid across notes", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 7 GUYANA. Confidential.",
                                        "Sent the same day. (Ibid.)"], 1,
     {"cites": [cf("POL 7 GUYANA")]}),
    ("ibid with two references at once", "ibid", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, FN 10 DOM REP/IMF. Secret.",
                                                  "Both were sent on June 3. (Ibid. and FN 10 DOM REP, respectively)"], 1,
     {"cites": [cf("FN 10 DOM REP/IMF"), cf("FN 10 DOM REP")]}),
    ("NSC intelligence files", "collections", ["Source: National Security Council, Nixon Intelligence Files, Subject Files, Bolivia. Secret; Eyes Only."], 0,
     {"cites": [{"repository": "National Security Council", "collection": "Nixon Intelligence Files", "series": "Subject Files", "file_unit": "Bolivia"}],
      "parts": {"classification": "Secret; Eyes Only."}}),
    ("several documents of this volume", "ibid", ["See also Documents 58, 59, 61, and 62."], 0, {"frus": ("58", "59", "61", "62")}),
    ("ibid on an unknown first reference", "ibid", ["The answer came a day later. (Ibid., POL 15 BOL)"], 0,
     {"cites": [], "errors": ["has no earlier reference"]}),

    # 2. Collections the registry did not know
    ("Recordings and Transcripts", "collections", ["Source: Johnson Library, Recordings and Transcripts, Recording of telephone conversation between President Johnson and Thomas Mann, April 28, 1965, 6:15 p.m., Tape F65.10, Side B, PNO 3. No classification marking. This transcript was prepared for this volume."], 0,
     {"cites": [{"repository": "Johnson Library", "collection": "Recordings and Transcripts", "item": "Recording of telephone conversation between President Johnson and Thomas Mann, April 28, 1965, 6:15 p.m., Tape F65.10, Side B, PNO 3"}],
      "parts": {"classification": "No classification marking.", "remark": "This transcript was prepared for this volume."}}),
    ("ibid, Recordings and Transcripts", "collections", ["Source: Johnson Library, National Security File, Country File, Bolivia, Vol. II. Secret.",
                                                         "They spoke by telephone. (Ibid., Recordings and Transcripts, Recording of telephone conversation between President Johnson and McNamara, June 1, 1965, Tape 6506.01, PNO 2)"], 1,
     {"cites": [{"repository": "Johnson Library", "collection": "Recordings and Transcripts", "item": "Recording of telephone conversation between President Johnson and McNamara, June 1, 1965, Tape 6506.01, PNO 2"}]}),
    ("National Security File without Country File", "collections", ["Source: Johnson Library, National Security File, Dominican Republic, Vol. 4, Cables, 5/65. Secret; Immediate."], 0,
     {"cites": [{**LBJ_NSF, "file_unit": "Dominican Republic, Vol. 4, Cables, 5/65"}], "series_id": "lbj-library-nsf-country"}),
    ("National Security File, country with no volume", "collections", ["Source: Johnson Library, National Security File, Bolivia, Memos. Secret."], 0,
     {"cites": [{**LBJ_NSF, "file_unit": "Bolivia, Memos"}], "series_id": "lbj-library-nsf-country", "warn": ["series left out by the note is a guess"]}),
    ("President's Office Files, country, Security", "collections", ["Source: Kennedy Library, President's Office Files, Cuba, Security, 1961. Top Secret."], 0,
     {"cites": [{"repository": "Kennedy Library", "collection": "President's Office Files", "file_unit": "Cuba, Security, 1961"}], "series_id": "jfk-library-president-s-office-files-countries-series"}),
    ("President's Office Files, a series", "collections", ["Source: Kennedy Library, President's Office Files, Staff Memoranda, Schlesinger. Secret."], 0,
     {"cites": [{"repository": "Kennedy Library", "collection": "President's Office Files", "series": "Staff Memoranda", "file_unit": "Schlesinger"}]}),
    ("Kennedy NSF without Countries Series", "collections", ["Source: Kennedy Library, National Security Files, Bolivia, General, 1/61–6/61. Confidential."], 0,
     {"cites": [{"repository": "Kennedy Library", "collection": "National Security Files", "file_unit": "Bolivia, General, 1/61–6/61"}], "series_id": "jfk-library-nsf-countries-series"}),
    ("Memos to the President", "collections", ["Source: Johnson Library, National Security File, Memos to the President, McGeorge Bundy, Vol. 10. Secret."], 0,
     {"cites": [{**LBJ_NSF, "series": "Memos to the President", "file_unit": "McGeorge Bundy, Vol. 10"}]}),
    ("Nixon Library NSC Files", "collections", ["Source: Nixon Library, NSC Files, Box 770, Country Files, Latin America, Bolivia, Vol. 2. Secret."], 0,
     {"cites": [{"repository": "Nixon Library", "collection": "NSC Files", "file_unit": "Box 770, Country Files, Latin America, Bolivia, Vol. 2"}]}),
    ("Ford Library", "collections", ["Source: Ford Library, National Security Adviser, Presidential Country Files for Latin America, Box 1, Bolivia. Confidential."], 0,
     {"cites": [{"repository": "Ford Library", "collection": "National Security Adviser", "series": "Presidential Country Files for Latin America", "file_unit": "Box 1, Bolivia"}]}),
    ("Carter Library", "collections", ["Source: Carter Library, National Security Affairs, Brzezinski Material, Country File, Box 6, Bolivia. Secret."], 0,
     {"cites": [{"repository": "Carter Library", "collection": "National Security Affairs", "series": "Brzezinski Material", "file_unit": "Country File, Box 6, Bolivia"}]}),
    ("Eisenhower Library", "collections", ["Source: Eisenhower Library, Whitman File, International Series, Bolivia. Secret."], 0,
     {"cites": [{"repository": "Eisenhower Library", "collection": "Whitman File", "series": "International Series", "file_unit": "Bolivia"}]}),
    ("Washington National Records Center", "collections", ["Source: Washington National Records Center, RG 330, OSD Files: FRC 70 A 1265, Bolivia 381. Secret."], 0,
     {"cites": [{"repository": "Washington National Records Center", "collection": "RG 330", "series": "OSD Files: FRC 70 A 1265", "file_unit": "Bolivia 381"}], "lot": "FRC 70 A 1265"}),
    ("library the registry does not know", "collections", ["Source: Hoover Library, Papers of Herbert Hoover, Post-Presidential Subject File, Bolivia. Personal."], 0,
     {"cites": [{"repository": "Hoover Library", "collection": "Papers of Herbert Hoover", "series": "Post-Presidential Subject File", "file_unit": "Bolivia"}],
      "how": {"repository": "pattern", "collection": "pattern", "series": "pattern"}, "parts": {"classification": "Personal."}}),
    ("unknown collection guessed", "collections", ["Source: Johnson Library, Office Files of Bill Moyers, Box 12, Latin America. Confidential."], 0,
     {"cites": [{"repository": "Johnson Library", "collection": "Office Files of Bill Moyers", "file_unit": "Box 12, Latin America"}], "warn": ["collection “Office Files of Bill Moyers” is a guess"]}),
    ("unknown series guessed", "collections", ["Source: Central Intelligence Agency, Executive Registry, Subject Files of the Director, Bolivia, 1966. Secret."], 0,
     {"cites": [{"repository": "Central Intelligence Agency", "collection": "Executive Registry", "series": "Subject Files of the Director", "file_unit": "Bolivia, 1966"}],
      "warn": ["series “Subject Files of the Director” is a guess"]}),
    ("modifier-letter apostrophe of the TEI text", "collections", ["The meeting lasted an hour. (Johnson Library, Presidentʼs Daily Diary)"], 0,
     {"cites": [{"repository": "Johnson Library", "collection": "Presidentʼs Daily Diary"}], "how": {"collection": "registry"}}),
    ("unknown repository", "collections", ["The reply is among his papers. (Hoover Institution Archives, Lovestone Papers, Box 12)"], 0,
     {"cites": [], "warn": ["not recognised, kept verbatim"]}),

    # 3. Citations in prose, and joined by a comma
    ("is in the Johnson Library", "prose", ["The minutes of the meeting are in the Johnson Library, National Security File, NSC Meetings File, Vol. 3, Tab 31. Rusk opened the meeting."], 0,
     {"cites": [{**LBJ_NSF, "series": "NSC Meetings File", "file_unit": "Vol. 3, Tab 31"}]}),
    ("is in the Kennedy Library", "prose", ["A copy of the letter is in the Kennedy Library, President's Office Files, Bolivia, Security, 1961."], 0,
     {"cites": [{"repository": "Kennedy Library", "collection": "President's Office Files", "file_unit": "Bolivia, Security, 1961"}]}),
    ("is in the National Archives", "prose", ["The Embassy's report is in the National Archives, RG 59, Central Files 1964–66, POL 2 BOL. It was not answered."], 0,
     {"cites": [cf("POL 2 BOL", repository="National Archives")]}),
    ("prose citation, then ibid", "prose", ["The memorandum is in the Johnson Library, National Security File, Country File, Chile, Vol. 1. The reply is ibid., Vol. 2."], 0,
     {"cites": [{**LBJ_NSF, "series": "Country File", "file_unit": "Chile, Vol. 1"}, {**LBJ_NSF, "series": "Country File", "file_unit": "Chile, Vol. 2"}]}),
    ("prose citation changes what ibid stands for", "prose", ["Source: Department of State, Central Files, 724.00/1-1562. Secret.",
                                                               "A summary is in the Johnson Library, National Security File, Country File, Bolivia, Vol. I. (Ibid.)"], 1,
     {"cites": [{**LBJ_NSF, "series": "Country File", "file_unit": "Bolivia, Vol. I"}, {**LBJ_NSF, "series": "Country File", "file_unit": "Bolivia, Vol. I"}]}),
    ("memorandum joined by a comma", "prose", ["The adviser summed up the talks. (Memorandum from Bundy to President Johnson, May 3, Johnson Library, National Security File, Memos to the President, McGeorge Bundy, Vol. 10)"], 0,
     {"cites": [{**LBJ_NSF, "series": "Memos to the President", "file_unit": "McGeorge Bundy, Vol. 10"}], "description": "Memorandum from Bundy to President Johnson, May 3"}),
    ("telegram joined by a comma", "prose", ["The reply went out the next day. (Telegram 1145 to Santo Domingo, April 30, National Archives and Records Administration, RG 59, Central Files 1964–66, POL 23–9 DOM REP)"], 0,
     {"cites": [cf("POL 23–9 DOM REP")], "docs": [("telegram", "1145", "to", "Santo Domingo", "")]}),
    ("description joined to ibid by a comma", "prose", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 15 BOL. Secret.",
                                                         "(Memorandum of conversation, June 4, ibid., POL 15–1 BOL)"], 1,
     {"cites": [cf("POL 15–1 BOL")]}),
    ("description with a semicolon stays apart", "prose", ["(Memorandum of conversation; National Archives and Records Administration, RG 59, Central Files 1964–66, POL 15 BOL)"], 0,
     {"cites": [cf("POL 15 BOL")], "description": "Memorandum of conversation"}),

    # 4. Publications
    ("FRUS volume and document", "publications", ["The President had approved the program in March. (Foreign Relations, 1961–1963, vol. XII, Document 295)"], 0,
     {"cites": [], "pubs": [("frus", "Foreign Relations, 1961–1963, vol. XII", HSG + "frus1961-63v12/d295", "295", "")]}),
    ("FRUS volume in prose, See", "publications", ["For the instructions, see Foreign Relations, 1964–1968, vol. XXXI, Document 152."], 0,
     {"cites": [], "pubs": [("frus", "Foreign Relations, 1964–1968, vol. XXXI", HSG + "frus1964-68v31/d152", "152", "")], "docs": []}),
    ("FRUS volume with its title", "publications", ["(Foreign Relations, 1961–1963, vol. XII, American Republics, Document 295)"], 0,
     {"pubs": [("frus", "Foreign Relations, 1961–1963, vol. XII, American Republics", HSG + "frus1961-63v12/d295", "295", "")]}),
    ("FRUS pages", "publications", ["(Foreign Relations, 1958–1960, vol. V, pp. 123–125)"], 0,
     {"pubs": [("frus", "Foreign Relations, 1958–1960, vol. V", HSG + "frus1958-60v05", "", "pp. 123–125")]}),
    ("FRUS electronic volume", "publications", ["(Foreign Relations, 1969–1976, vol. E–10, Document 77)"], 0,
     {"pubs": [("frus", "Foreign Relations, 1969–1976, vol. E–10", HSG + "frus1969-76ve10/d77", "77", "")]}),
    ("FRUS volume in parts", "publications", ["(Foreign Relations, 1952–1954, vol. XIV, Part 2, Document 5)"], 0,
     {"pubs": [("frus", "Foreign Relations, 1952–1954, vol. XIV, Part 2", HSG + "frus1952-54v14p2/d5", "5", "")]}),
    ("ibid after a FRUS volume", "publications", ["(Foreign Relations, 1961–1963, vol. XII, Document 295)", "The Embassy was told in April. (Ibid., Document 296)"], 1,
     {"cites": [], "pubs": [("frus", "Foreign Relations, 1961–1963, vol. XII", HSG + "frus1961-63v12/d296", "296", "")]}),
    ("bare ibid after a publication", "publications", ["Source: National Archives and Records Administration, RG 59, Central Files 1964–66, POL 15 BOL. Secret.",
                                                       "Printed in Department of State Bulletin, May 17, 1965, pp. 744–748. The reply was printed too. (Ibid.)"], 1,
     {"cites": [], "pubs": [("bulletin", "Department of State Bulletin", "", "", "pp. 744–748"), ("bulletin", "Department of State Bulletin", "", "", "pp. 744–748")]}),
    ("ibid after a publication that does not fit", "publications", ["(Foreign Relations, 1958–1960, vol. V, pp. 123–125)", "(Ibid., Box 4)"], 1,
     {"cites": [], "warn": ["does not fit the publication"]}),
    ("Public Papers", "publications", ["The statement is printed in Public Papers of the Presidents of the United States: Lyndon B. Johnson, 1965, Book I, pp. 461–465."], 0,
     {"cites": [], "pubs": [("public-papers", "Public Papers of the Presidents of the United States: Lyndon B. Johnson, 1965, Book I", "", "", "pp. 461–465")]}),
    ("Public Papers, then ibid with a page", "publications", ["For his remarks, see Public Papers of the Presidents of the United States: John F. Kennedy, 1961, pp. 170–175. He returned to them later. (Ibid., p. 396)"], 0,
     {"cites": [], "pubs": [("public-papers", "Public Papers of the Presidents of the United States: John F. Kennedy, 1961", "", "", "pp. 170–175"),
                            ("public-papers", "Public Papers of the Presidents of the United States: John F. Kennedy, 1961", "", "", "p. 396")]}),
    ("Bulletin is not the Department of State", "publications", ["For the communiqué, see Department of State Bulletin, May 17, 1965, pp. 744–748."], 0,
     {"cites": [], "pubs": [("bulletin", "Department of State Bulletin", "", "", "pp. 744–748")]}),
    ("newspaper and ibid", "publications", ["The story ran in The New York Times, April 29, 1965, p. 1. A follow-up is ibid., p. 14."], 0,
     {"cites": [], "pubs": [("newspaper", "The New York Times", "", "", "p. 1"), ("newspaper", "The New York Times", "", "", "p. 14")]}),
    ("archive, publication, archive", "publications", ["(Department of State, Central Files, 724.00/6-1262; Foreign Relations, 1961–1963, vol. XII, Document 301; ibid., Document 302)"], 0,
     {"cites": [{"repository": "Department of State", "series": "Central Files", "file_unit": "724.00/6-1262"}],
      "pubs": [("frus", "Foreign Relations, 1961–1963, vol. XII", HSG + "frus1961-63v12/d301", "301", ""), ("frus", "Foreign Relations, 1961–1963, vol. XII", HSG + "frus1961-63v12/d302", "302", "")]}),
    ("FRUS as a source", "publications", ["Source: Foreign Relations, 1964–1968, vol. XXXI, Document 151. Secret."], 0,
     {"cites": [], "pubs": [("frus", "Foreign Relations, 1964–1968, vol. XXXI", HSG + "frus1964-68v31/d151", "151", "")], "parts": {"classification": "Secret."}}),
    ("Bulletin in prose with pages", "publications", ["The declaration is printed in Department of State Bulletin, April 8, 1963, pages 515–517. Papers on the meeting are in Department of State, Conference Files: Lot 66 D 110, CF 2230."], 0,
     {"cites": [{"repository": "Department of State", "series": "Conference Files: Lot 66 D 110", "file_unit": "CF 2230"}],
      "pubs": [("bulletin", "Department of State Bulletin", "", "", "pages 515–517")]}),
    ("Current Documents", "publications", ["Its conclusions are printed in American Foreign Policy: Current Documents, 1962, pp. 301–302."], 0,
     {"cites": [], "pubs": [("current-documents", "American Foreign Policy: Current Documents, 1962", "", "", "pp. 301–302")]}),
    ("a document of this volume is not a publication", "publications", ["See Document 152."], 0,
     {"cites": [], "pubs": [], "frus": ("152",)}),

    # 5. Handling lines
    ("Extra Sensitive after a classification", "handling", ["Source: Department of State, Central Files, 611.37/9-1862. Top Secret; Extra Sensitive."], 0,
     {"cites": [{"repository": "Department of State", "series": "Central Files", "file_unit": "611.37/9-1862"}], "parts": {"classification": "Top Secret; Extra Sensitive."}}),
    ("Extra Sensitive alone", "handling", ["Source: Central Intelligence Agency, Directorate of Operations, Job 78–01450R, Box 3, Folder 2. Extra Sensitive."], 0,
     {"cites": [{"repository": "Central Intelligence Agency", "collection": "Directorate of Operations", "series": "Job 78–01450R", "file_unit": "Box 3, Folder 2"}],
      "parts": {"classification": "Extra Sensitive."}}),
    ("handling in two sentences", "handling", ["Source: Johnson Library, National Security File, Country File, Bolivia, Vol. II, Memos. Secret; Eyes Only. Extra Sensitive. Drafted by Brown."], 0,
     {"parts": {"classification": "Secret; Eyes Only. Extra Sensitive.", "drafting": "Drafted by Brown."}}),
    ("no classification, then Drafted", "handling", ["Source: Department of State, Central Files, POL 27 VIET S. Drafted by Smith on June 3 and approved by Jones."], 0,
     {"cites": [{"repository": "Department of State", "series": "Central Files", "file_unit": "POL 27 VIET S"}],
      "parts": {"classification": "", "drafting": "Drafted by Smith on June 3 and approved by Jones."}}),
    ("no classification after a lot number", "handling", ["Source: Department of State, ARA/BC Files: Lot 70 D 443. Drafted by Williams; cleared by Brewin."], 0,
     {"cites": [{"repository": "Department of State", "series": "ARA/BC Files: Lot 70 D 443"}], "parts": {"drafting": "Drafted by Williams; cleared by Brewin."}}),
    ("no classification after a volume", "handling", ["Source: Johnson Library, National Security File, Country File, Bolivia, Vol. II. Repeated to Lima and Santiago."], 0,
     {"cites": [{**LBJ_NSF, "series": "Country File", "file_unit": "Bolivia, Vol. II"}], "parts": {"transmission": "Repeated to Lima and Santiago."}}),

    ("Operational Immediate", "handling", ["Source: Department of State, Central Files, POL 36 CUBA. Confidential; Operational Immediate. Drafted by Fisher."], 0,
     {"cites": [{"repository": "Department of State", "series": "Central Files", "file_unit": "POL 36 CUBA"}],
      "parts": {"classification": "Confidential; Operational Immediate.", "drafting": "Drafted by Fisher."}}),

    ("no classification, Transcribed by", "handling", ["Source: Eisenhower Library, Dulles Papers, General Telephone Conversations. Transcribed by Bernau."], 0,
     {"cites": [{"repository": "Eisenhower Library", "collection": "Dulles Papers", "series": "General Telephone Conversations"}],
      "parts": {"classification": "", "remark": "Transcribed by Bernau."}}),

    # 6. Small slips
    ("lot number without Lot", "slips", ["Source: Department of State, S/S Files: 70 D 418, Bolivia. Secret."], 0,
     {"cites": [{"repository": "Department of State", "series": "S/S Files: 70 D 418", "file_unit": "Bolivia"}], "lot": "70 D 418"}),
    ("ibid, lot number without Lot", "slips", ["Source: National Archives and Records Administration, RG 59, ARA/BC Files: Lot 70 D 443, Bolivia 1964. Secret.",
                                               "(Ibid., ARA/BC Files: 69 D 165, POL 2)"], 1,
     {"cites": [{"repository": NARA, "collection": "RG 59", "series": "ARA/BC Files: 69 D 165", "file_unit": "POL 2"}], "lot": "69 D 165"}),
    ("post followed by a date", "slips", ["Reporting in telegram 2345 from Santo Domingo April 28, the Embassy urged restraint."], 0,
     {"docs": [("telegram", "2345", "from", "Santo Domingo", "")]}),
    ("post followed by a date after a comma", "slips", ["In telegram 496 from La Paz, November 4, the Ambassador reported the junta's claim."], 0,
     {"docs": [("telegram", "496", "from", "La Paz", "")]}),
    ("post at the end of a sentence", "slips", ["The Department replied in telegram 267 to La Paz."], 0,
     {"docs": [("telegram", "267", "to", "La Paz", "")]}),
    ("time stamp", "slips", ["The commander's view is in telegram 271723Z from CINCSTRIKE to JCS."], 0,
     {"docs": [("telegram", "", "from", "CINCSTRIKE", "271723Z")]}),
    ("time stamp with its citation", "slips", ["(Telegram 041530Z from USCINCSO; Washington National Records Center, RG 330, OSD Files: FRC 70 A 1265, Bolivia 381)"], 0,
     {"docs": [("telegram", "", "from", "USCINCSO", "041530Z")],
      "cites": [{"repository": "Washington National Records Center", "collection": "RG 330", "series": "OSD Files: FRC 70 A 1265", "file_unit": "Bolivia 381"}]}),
]


def test_at_least_sixty_cases_of_issue_17():
    assert len(CASES) >= 60
    assert {c[1] for c in CASES} == {"ibid", "collections", "prose", "publications", "handling", "slips"}


@pytest.mark.parametrize("label, kind, notes, index, expected", CASES, ids=[f"{c[1]}: {c[0]}" for c in CASES])
def test_case(registry, label, kind, notes, index, expected):
    note = only(notes, registry)[index]
    warnings = [i.message for i in note.issues if i.severity == "warning"]
    errors = [i.message for i in note.issues if i.severity == "error"]
    assert len(warnings) == len(expected.get("warn", [])), warnings
    for words, message in zip(expected.get("warn", []), warnings):
        assert words in message
    assert len(errors) == len(expected.get("errors", [])), errors
    for words, message in zip(expected.get("errors", []), errors):
        assert words in message
    if "cites" in expected:
        assert [c.levels for c in note.citations] == expected["cites"]
    if "pubs" in expected:
        got = [(p.kind, p.title, p.url, p.document, p.pages) for p in note.publications]
        assert got == expected["pubs"]
    if "docs" in expected:
        got = [(d.kind, d.number, d.direction, d.post, d.timestamp) for d in note.documents if d.kind != "frus-document"]
        assert got == expected["docs"]
    if "frus" in expected:
        assert [d.frus_numbers for d in note.documents] == [expected["frus"]]
    for part, text in expected.get("parts", {}).items():
        assert note.part_text(part).strip() == text
    first = note.citations[0] if note.citations else None
    if "inherited" in expected:
        assert first.inherited == expected["inherited"]
    if "lot" in expected:
        assert first.lot == expected["lot"]
    if "series_id" in expected:
        assert first.ids["series"] == expected["series_id"] and "series" not in first.levels
    for level, how in expected.get("how", {}).items():
        assert first.how[level] == how
    if "description" in expected:
        assert expected["description"] in [s.text for s in note.segments if s.kind == "document-description"]
    # A parse is right or warned: a level that was guessed is always warned.
    for citation in note.citations:
        if citation.confidence == "guess" or citation.unresolved:
            assert warnings, (label, citation.levels, citation.how)


# --------------------------------------------------------------------------- properties

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Pieces FRUS notes are made of, so that generated notes reach the grammar's corners.
_PIECES = [
    "Source: ", "Ibid.", "ibid., ", "Ibid., ", "(", ")", "; ", ", ", ". ", ".", " ", "Secret", "Top Secret; Extra Sensitive", "Extra Sensitive",
    "No classification marking", "Drafted by Smith", "Repeated to Lima", "National Archives and Records Administration", "National Archives",
    "RG 59", "RG 84", "Records of the Department of State", "Central Files 1964–66", "Central Files", "POL 7 GUYANA", "SCI 1–1 EURW–US",
    "739.00/10-261 through 739.00/11-1661", "Johnson Library", "Kennedy Library", "Hoover Library", "National Security File",
    "Country File", "Recordings and Transcripts", "Recording of telephone conversation between Rusk and Mann", "President's Office Files",
    "Cuba", "Security", "1961", "Vol. III", "Vol.", "Box 4", "Folder 2", "Lot 70 D 443", "70 D 418", "S/S Files: ", "Job 80–01795R",
    "FRC 70 A 1265", "Washington National Records Center", "Central Intelligence Agency", "Department of State", "Department of State Bulletin",
    "Foreign Relations, 1961–1963, vol. XII", "Document 295", "See Document 152", "Public Papers of the Presidents", ": Lyndon B. Johnson, 1965",
    "pp. 3–4", "p. 7", "The New York Times", "April 29, 1965", "telegram 271723Z from CINCSTRIKE", "Telegram 267 to La Paz", " from Santo Domingo April 28",
    "Memorandum from Bundy to Johnson", " is in the ", " and ", ", respectively", "[text not declassified]", "—", "“", "”", "\n",
]
_notes = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=30).map("".join)


def _check_segments(note):
    assert "".join(s.text for s in note.segments) == note.text
    offset = 0
    for segment in note.segments:
        assert segment.start == offset, (segment, note.text)
        offset += len(segment.text)
    for issue in note.issues:
        assert 0 <= issue.offset <= len(note.text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_notes, min_size=1, max_size=4))
def test_any_notes_reassemble_exactly_and_never_crash(registry, notes):
    for note in parse_notes(list(enumerate(notes, 1)), registry):
        _check_segments(note)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(), min_size=1, max_size=3))
def test_arbitrary_text_never_crashes(registry, notes):
    for note in parse_notes(list(enumerate(notes, 1)), registry):
        _check_segments(note)


def test_every_case_reassembles_with_true_offsets(registry):
    for _label, _kind, notes, _index, _expected in CASES:
        for note in parse_notes(list(enumerate(notes, 1)), registry):
            _check_segments(note)


# --------------------------------------------------------------------------- the edition, the register, the report


def _edition_notes():
    from scholarly_edition.archives import parse_corpus_notes
    from scholarly_edition.corpus import Corpus

    corpus = Corpus.load(ROOT)
    return parse_corpus_notes(corpus, load_registry(ROOT).registry)


def test_the_editions_own_notes_parse_without_a_guess_or_a_warning():
    parsed, problems = _edition_notes()
    assert problems == []
    citations = [c for doc in parsed.values() for note in doc.notes for c in note.citations]
    assert citations, "the edition's source notes cite archives"
    for citation in citations:
        assert citation.confidence in ("registry", "pattern"), (citation.text, citation.how)
        assert not citation.unresolved


def test_archival_report_counts_every_level_once():
    from scholarly_edition.archives import archival_report

    parsed, _ = _edition_notes()
    report = archival_report(parsed)
    citations = [c for doc in parsed.values() for note in doc.notes for c in note.citations]
    assert report.citations == len(citations)
    assert report.ibid == sum(c.ibid for c in citations)
    for level in ("repository", "file_unit"):
        assert sum(report.levels[level].values()) == sum(1 for c in citations if level in c.ids or level in c.levels)
    assert report.levels["repository"]["guess"] == 0 and report.warnings == 0


def test_check_prints_the_archival_report(capsys):
    from scholarly_edition.cli import main

    assert main(["check", "--root", str(ROOT), "--archival-report"]) == 0
    out = capsys.readouterr().out
    assert "archival references in" in out
    for level in ("repository", "collection", "series", "file unit", "item"):
        assert f"\n  {level} " in out
    assert "registry" in out and "guess" in out and "inherited" in out


def test_publications_never_enter_the_archival_register(registry):
    from scholarly_edition.archives import DocumentNotes, build_register, iter_units

    notes = ["Source: Department of State, Central Files, 724.00/6-1262. Secret.",
             "(Foreign Relations, 1961–1963, vol. XII, Document 301; Department of State Bulletin, June 4, 1962, pp. 3–4; ibid., p. 5)"]
    parsed = only(notes, registry)
    assert len(parsed[1].publications) == 3 and parsed[1].citations == []
    units = build_register(registry, {"x": DocumentNotes("x", "x", parsed, {1: 1, 2: 2})})
    cited = {(doc, number) for unit in iter_units(units) for doc, number, _ in unit.citations}
    assert cited == {("x", 1)}


def test_a_new_repository_is_a_yaml_entry(tmp_path):
    """The registry grows without code: a new file makes a new repository and its series known."""
    text = "Source: Reagan Library, Executive Secretariat, NSC Country File, Bolivia, Box 7. Secret."
    before = parse_notes([(1, text)], load_registry(ROOT).registry)[0]
    assert before.citations[0].how["repository"] == "pattern" and before.issues  # a guess, warned
    archives = tmp_path / "docs/annotations/archives"
    archives.mkdir(parents=True)
    for path in (ROOT / "docs/annotations/archives").glob("*.yaml"):
        (archives / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (archives / "reagan-library.yaml").write_text(
        "id: reagan-library\nlevel: repository\nname: Ronald Reagan Presidential Library\nforms: [Reagan Library]\n"
        "children:\n  - id: reagan-library-es\n    level: collection\n    name: Executive Secretariat\n    forms: [Executive Secretariat]\n"
        "    children:\n      - id: reagan-library-es-nsc-country\n        level: series\n        name: NSC Country File\n        forms: [NSC Country File]\n",
        encoding="utf-8")
    loaded = load_registry(tmp_path)
    assert loaded.problems == []
    after = parse_notes([(1, text)], loaded.registry)[0]
    assert after.issues == []
    citation = after.citations[0]
    assert citation.how == {"repository": "registry", "collection": "registry", "series": "registry", "file_unit": "pattern"}
    assert citation.ids["series"] == "reagan-library-es-nsc-country" and citation.levels["file_unit"] == "Bolivia, Box 7"


def test_an_omitted_series_must_exist(tmp_path):
    archives = tmp_path / "docs/annotations/archives"
    archives.mkdir(parents=True)
    (archives / "x.yaml").write_text("id: x-library\nlevel: repository\nname: X\nforms: [X Library]\nchildren:\n"
                                     "  - id: x-nsf\n    level: collection\n    name: NSF\n    forms: [NSF]\n    omitted_series: x-nope\n", encoding="utf-8")
    problems = load_registry(tmp_path).problems
    assert [p.message for p in problems] == ["unknown archive id 'x-nope' (omitted series of 'x-nsf')"]


def test_publications_link_to_their_own_volume_and_to_the_bibliography(registry):
    from scholarly_edition.archives import bibliography_urls, link_publications
    from scholarly_edition.sphinxext.sourcenotes import render_note

    notes = only(["Compare the circular of November 4. (Foreign Relations, 1964–1968, vol. XXXI, Document 151; ibid., Document 152)"], registry)
    link_publications(notes, bibliography_urls(ROOT))
    first, second = notes[0].publications
    assert first.url == "https://history.state.gov/historicaldocuments/frus1964-68v31/d151"
    expected_key = bibliography_urls(ROOT).get(first.url, "")
    assert first.bib_key == expected_key and second.bib_key == bibliography_urls(ROOT).get(second.url, "")
    rendered = render_note(notes[0], "https://history.state.gov/historicaldocuments/frus1961-63v12/d1")
    refs = [n["refuri"] for span in rendered for n in span.findall(lambda n: "refuri" in getattr(n, "attributes", {}))]
    assert refs == [first.url, second.url]  # the cited volume, never the current one
    text = "".join(span.astext() for span in rendered)
    assert "[ibid. = Foreign Relations, 1964–1968, vol. XXXI, Document 152]" in text
    cite_refs = [n for span in rendered for n in span.findall(lambda n: n.get("refdomain") == "cite" if hasattr(n, "get") else False)]
    assert [n["reftarget"] for n in cite_refs] == [k for k in (first.bib_key, second.bib_key) if k]


@pytest.mark.build
def test_publications_in_a_built_note_link_to_their_volume_and_the_bibliography(tmp_path):
    """In the real build: a cross-volume FRUS reference links to its own volume's document on
    history.state.gov, a work of the bibliography is cited there, and the register names
    publications apart from its units."""
    import subprocess
    import sys

    from bs4 import BeautifulSoup
    from conftest import copy_project

    project = copy_project(tmp_path)
    source = project / "sources" / "frus-1964-68-v31-d151.txt"
    original = "(Johnson Library, National Security File, Country File, Bolivia, Vol. II, Memoranda, July–November 1964)"
    text = source.read_text("utf-8")
    assert original in text
    added = " (Foreign Relations, 1961–1963, vol. XII, Document 295; Foreign Relations, 1964–1968, vol. XXXI, Document 151; ibid., Document 152)"
    source.write_text(text.replace(original, original + added), "utf-8")
    env = {"PYTHONPATH": str(project / "ext"), "PATH": "/usr/bin:/bin"}
    converted = subprocess.run([sys.executable, "-m", "scholarly_edition", "convert", "--root", str(project)], capture_output=True, text=True, env=env)
    assert converted.returncode == 0, converted.stderr
    out = tmp_path / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", "-c", str(project), str(project / "docs"), str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line and "[edition.anchor]" not in line]
    assert warnings == []
    page = BeautifulSoup((out / "documents" / "frus-1964-68-v31-d151.html").read_text("utf-8"), "html.parser")
    note = page.find("aside", id="frus-1964-68-v31-d151-n4")
    hrefs = [a["href"] for a in note.select("a.ed-publication")]
    assert hrefs == [HSG + "frus1961-63v12/d295", HSG + "frus1964-68v31/d151", HSG + "frus1964-68v31/d152"]
    assert [e.get_text() for e in note.select(".ed-ibid-expansion")] == [" [ibid. = Foreign Relations, 1964–1968, vol. XXXI, Document 152]"]
    bib = [a["href"] for a in note.select(".ed-publication-bib a")]
    assert len(bib) == 1 and "bibliography.html#" in bib[0]
    register = BeautifulSoup((out / "archives.html").read_text("utf-8"), "html.parser")
    listed = register.select_one(".ed-register-publications").get_text()
    assert "Foreign Relations, 1961–1963, vol. XII" in listed and "note 4" in listed
    assert not any("history.state.gov" in a.get("href", "") for a in register.select(".ed-register-unit a"))
