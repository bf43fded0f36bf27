"""Contributed text may not carry code, raw markup or dangerous links."""

from __future__ import annotations

import pytest

from scholarly_edition.safety import check_markup, is_safe_url


@pytest.mark.parametrize(
    "text, expected",
    [
        ("An <script>alert(1)</script> attack", "raw HTML is not allowed"),
        ('<img src=x onerror="alert(1)">', "raw HTML is not allowed"),
        ("[click](javascript:alert(1))", "link target 'javascript:alert(1"),
        ("[x](JavaScript:alert(1))", "is not allowed"),
        ("<javascript:alert(1)>", "is not allowed"),
        ("[x][r]\n\n[r]: vbscript:msgbox", "is not allowed"),
        ("[x](//evil.example/steal)", "is not allowed"),
        ("{raw}`html <b>x</b>`", "role {raw} is not allowed"),
        ("```{include} /etc/passwd\n```", "directives are not allowed"),
        (":::{raw} html\n<b>\n:::", "directives are not allowed"),
        ("{eval-rst}`x`", "role {eval-rst} is not allowed"),
        ("![tracker](https://example.org/pixel.png)", "images are not allowed"),
        ("x" * 5000, "characters long"),
    ],
)
def test_unsafe_constructs_are_rejected(text, expected):
    issues = check_markup(text)
    assert any(expected in issue.message for issue in issues), [i.message for i in issues]


@pytest.mark.parametrize(
    "text",
    [
        "Víctor Paz Estenssoro, president of Bolivia (see {ref}`frus-1964-68-v31-d151-p1`).",
        "The copy reads *Blaiser*; the author is Cole Blasier {cite:p}`blasier1976`.",
        "See [the FRUS volume](https://history.state.gov/historicaldocuments/frus1964-68v31).",
        "Compare [¶ 13](mack-2025.html#mack-2025-p13) and [above](#x). 3 < 4 and 5 > 2.",
    ],
)
def test_ordinary_scholarly_text_passes(text):
    assert check_markup(text) == []


def test_url_rules():
    assert is_safe_url("https://example.org/a?b#c")
    assert is_safe_url("#mack-2025-p3") and is_safe_url("../glossary.html#paz-victor")
    assert not is_safe_url("data:text/html;base64,PHNjcmlwdD4=")
    assert not is_safe_url("file:///etc/passwd")
