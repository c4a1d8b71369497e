"""ui.plain: people's text escaped for Streamlit's markdown, so it shows as typed (issue 14)."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from ui.plain import WORD_JOINER, md, names_md

#: Characters that start or end markdown syntax in Streamlit (links, images, emphasis, code, HTML,
#: entities, maths, directives such as :red[x], tables, headings, strikethrough, autolinks).
SYNTAX = set("![]()<>`*_$~:&#|\\{}+-.=@")
HOSTILE = [
    "![t](https://attacker.example/p.png)",
    "[re-enter key](https://phish.example)",
    "<img src=x onerror=alert(1)>",
    "`code` **bold** _it_ ~~gone~~",
    "# Heading",
    "1. list",
    ":red[x] :material/home: $x^2$ $$y$$",
    "https://attacker.example www.phish.example a@b.example",
    "&lt;b&gt; &copy; &#x41;",
    "<https://attacker.example>",
    "| a | b |",
    "\\[not\\] escaped",
]


def shown(markdown: str) -> tuple[str, set[str]]:
    """What CommonMark shows for ``markdown`` if its only syntax is backslash escapes (a backslash before
    ASCII punctuation is that character, literally), and which syntax characters were left unescaped.
    The invisible word joiners ``md`` adds to break bare addresses are left out, as they are not seen."""
    markdown = markdown.replace(WORD_JOINER, "")
    out, loose, i = [], set(), 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\" and i + 1 < len(markdown) and markdown[i + 1] in string.punctuation:
            out.append(markdown[i + 1])
            i += 2
            continue
        if ch in SYNTAX:
            loose.add(ch)
        out.append(ch)
        i += 1
    return "".join(out), loose


def test_peoples_text_is_shown_as_typed_not_as_markdown():
    assert md("£5m *new* money [see](x) for 0-5s: $2 a_b") == (
        "£5m \\*new\\* money \\[see\\]\\(x\\) for 0\\-5s\u2060\\:\u2060 \\$2 a\\_b"
    )


def test_the_issues_names_make_no_image_no_link_and_no_markup():
    for name in HOSTILE:
        escaped = md(name)
        assert shown(escaped) == (name, set()), escaped
        # no bare address for Streamlit to make a link of: "https:", "www." and "@x" are broken by a word joiner
        assert not re.search(r"https?\\?:|www\\?\.|@\w", escaped.replace("\\", "")), escaped


@given(st.text(alphabet=st.sampled_from(sorted(SYNTAX | set("ab 1\n\t'\"%^w"))) | st.characters()))
def test_any_text_shows_as_itself_with_every_syntax_character_escaped(text: str):
    text = text.replace(WORD_JOINER, "")
    assert shown(md(text)) == (text, set())


def test_names_are_quoted_and_escaped():
    assert names_md(["A*", "[b](c)"]) == "“A\\*”, “\\[b\\]\\(c\\)”"
