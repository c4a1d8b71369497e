"""Text typed by people (a participant's name, a reason), escaped so Streamlit's markdown shows it as typed."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Every ASCII character that can start or end markdown syntax in Streamlit: emphasis, code, links and
#: images (``[``, ``]``, ``(``, ``!``), headings, lists, tables, HTML and entities (``<``, ``&``), maths
#: (``$``), colour and icon directives (``:red[…]``), strikethrough, autolinks (``https:``, ``www.``).
#: A backslash before ASCII punctuation is CommonMark's escape: the character shows as itself.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~<>:&=@])")


#: Streamlit also makes links of bare addresses (``https://…``, ``www.…``, ``a@b.example``) found in the text
#: *after* escapes are read, and icons of ``:material/…:``; an invisible WORD JOINER on each side of a
#: ``:``, after each ``@`` and after ``www`` breaks those patterns without changing what is seen.
WORD_JOINER = "\u2060"
LINK_START = re.compile(r"(?=\\:)|(?<=\\:)|(?<=\\@)|(?<=www)(?=\\\.)", re.IGNORECASE)


def md(text: object) -> str:
    """Text for st.markdown, st.caption, st.info and the like, shown literally: "$5m" is not maths,
    "*" not emphasis, ``![t](https://x/p.png)`` no image and ``[key](https://x)`` or a bare address no link."""
    return LINK_START.sub(WORD_JOINER, MARKDOWN_SPECIAL.sub(r"\\\1", str(text)))


def names_md(names: Sequence[str]) -> str:
    """Names as “A”, “B”, escaped for st.markdown."""
    return ", ".join(f"“{md(n)}”" for n in names)
