"""Text a person typed (names, team names, quotes, stored titles), made safe to show in Markdown.

Streamlit renders Markdown in st.markdown, st.info, captions and expander labels: a name such as
`[Click](https://evil.example)` or `![](https://tracker.example/p.png)` would become a link or load
an image. plain() escapes every Markdown character so the text shows exactly as typed.
"""
from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:=])")


def plain(text: object) -> str:
    """`text` as written: Markdown characters escaped, line breaks kept."""
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in str(text).splitlines())
