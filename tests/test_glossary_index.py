"""The index entries of mentions: one node per block while a page is read, one per mention in print.

HTML needs only the entries (the index page and the search index read them); print needs each
entry where its mention stands, so that the index of names gives the mention's page.
"""

from __future__ import annotations

from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes

from scholarly_edition.sphinxext.glossary import MENTION_INDEX, entity_mention, expand_mention_indexes


def mention(text: str, mid: str) -> entity_mention:
    node = entity_mention(text, text, entity=mid.split("-", 2)[-1])
    node["ids"] = [mid]
    return node


def test_expansion_puts_each_entry_before_its_mention_and_drops_the_block_node():
    document = new_document("test")
    para = nodes.paragraph()
    entries = [("single", "Paz Estenssoro, Víctor", "d-p1-paz", "", None), ("single", "Barrientos, René", "d-p1-barrientos", "", None)]
    block = addnodes.index(entries=list(entries), inline=True, classes=[MENTION_INDEX])
    emphasis = nodes.emphasis()
    emphasis += [nodes.Text("General "), mention("Barrientos", "d-p1-barrientos")]
    para += [nodes.Text("President "), block, mention("Paz", "d-p1-paz"), nodes.Text(" and "), emphasis]
    document += para

    expand_mention_indexes(document)

    indexes = list(document.findall(addnodes.index))
    assert [i["entries"] for i in indexes] == [[entries[0]], [entries[1]]]
    assert all(i["inline"] and MENTION_INDEX not in i["classes"] for i in indexes)
    for index in indexes:  # each entry immediately before the mention it names
        following = index.parent.children[index.parent.children.index(index) + 1]
        assert isinstance(following, entity_mention) and following["ids"] == [index["entries"][0][2]]
    assert para.astext() == "President Paz and General Barrientos"


def test_entries_without_a_mention_on_the_page_stay_in_the_block_node():
    document = new_document("test")
    para = nodes.paragraph()
    orphan = ("single", "Nobody", "d-p2-nobody", "", None)
    para += addnodes.index(entries=[orphan], inline=True, classes=[MENTION_INDEX])
    document += para
    expand_mention_indexes(document)
    assert [i["entries"] for i in document.findall(addnodes.index)] == [[orphan]]
