"""The text matcher of the print tests forgives the edition's own marked insertions, and
nothing else: a word of the source that is lost or altered is still reported missing."""

from __future__ import annotations

from textmatch import missing_paragraphs, without_insertions

SOURCE = [("doc-p1", "The military possess only a limited capacity to preserve public order."),
          ("doc-p2", "This decree, 4,078, granted a real license to kill.")]
MARKS = {"a", "b", "c", "h"}


def test_bracketed_insertions_of_the_edition_are_left_out():
    text = ("The military possess only a limited [Editor's note a: on “limited” [sic] — a\nlong note] capacity to "
            "preserve public order. [Chronology:\n4 November 1964]\nThis decree, 4,078,h granted a real [ibid. = RG 59] license to kill.")
    assert missing_paragraphs(text, SOURCE, MARKS) == []
    assert "Chronology" not in without_insertions(text) and "RG 59" not in without_insertions(text)


def test_the_sources_own_brackets_stay():
    assert without_insertions("General [Page 341] Ovando [text not declassified]") == "General [Page 341] Ovando [text not declassified]"


def test_an_editors_footnote_between_two_lines_is_left_out():
    text = ("The military possess only a limited capacity to preserve\nh\nEditor's note. Explanation · on “order”\n"
            "A note of the editors that goes on for a while.\n4\nA note of the original.\f3\n\npublic order.")
    assert missing_paragraphs(text, SOURCE[:1], MARKS) == []


def test_a_lost_or_altered_word_is_still_missing():
    assert missing_paragraphs("The military possess only a limited capacity to preserve public.", SOURCE[:1], MARKS) == ["doc-p1"]
    lost = "The military possess only a limited [Editor's note a: x] to preserve public order."
    assert missing_paragraphs(lost, [("doc-p1", SOURCE[0][1] + " And a second sentence here.")], MARKS) == ["doc-p1"]
    altered = "This decree, 4,078, granted a real licence to kill. This decree, 4,078, granted a great licence to kill."
    assert missing_paragraphs(altered.replace("4,078,", "4,079,"), SOURCE[1:], MARKS) == ["doc-p2"]


def test_a_glued_letter_is_forgiven_only_when_it_is_a_mark_of_the_edition():
    assert missing_paragraphs("This decree, 4,078,h granted a real license to kill.", SOURCE[1:], MARKS) == []
    assert missing_paragraphs("This decree, 4,078,z granted a real license to kill.", SOURCE[1:], MARKS) == ["doc-p2"]
    assert missing_paragraphs("This decree, 4,078,h granted a real license to kill.", SOURCE[1:]) == ["doc-p2"]
