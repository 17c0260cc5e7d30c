"""Person-supplied text shown in Markdown reads exactly as typed."""
from __future__ import annotations

import pytest

from webapp.markdown import plain


@pytest.mark.parametrize(("text", "shown"), [
    ("Ann Lee", "Ann Lee"),
    ("[win](https://evil.example)", r"\[win\]\(https\://evil\.example\)"),
    ("![](https://t.example/p.png)", r"\!\[\]\(https\://t\.example/p\.png\)"),
    ("**bold** _it_ `code` <b>", r"\*\*bold\*\* \_it\_ \`code\` \<b\>"),
    ("line one\nline two", "line one  \nline two"),
    ("# heading", r"\# heading"),
])
def test_plain_escapes_every_markdown_character(text, shown):
    assert plain(text) == shown
