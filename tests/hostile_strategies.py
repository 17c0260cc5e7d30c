"""Hypothesis strategies for hostile and careless input: what agents paste and exports contain.

Used by tests/test_hostile_input.py (the property suite in `make test`) and bench/hostile.py
(the 10,000-input run). Texts mix realistic reply words with what breaks parsers: long runs of
punctuation and symbols, control characters (mangled curly quotes among them), invisible and
right-to-left characters, emoji and combining marks, HTML, odd line breaks, lone surrogates.
"""
from __future__ import annotations

from hypothesis import strategies as st

WORDS = ("Hi", "Sam", "thanks", "for", "waiting", "I", "have", "reset", "your", "router", "password", "the",
         "DNS", "VPN", "obviously", "you", "should", "sorry", "call", "me", "at", "3pm", "tomorrow", "it's",
         "fixed", "now", "please", "click", "Save", "NTLM", "SPN", "kerberos", "ticket", "#4521", "https://x.io/a?b=c",
         "sam@example.com", "07700 900123", "4111 1111 1111 1111", "Best,", "Alex", "UNACCEPTABLE", "🙂", "naïve",
         "Grüße", "日本語", "مرحبا", "e.g.", "i.e.", "ASAP", "FYI", "pw:", "hunter2", "PIN", "OTP")
SYMBOLS = "?!.=-_+*#@$%^&()[]{}<>|\\/~`'\";:,«»“”‘’–—…•·¿¡§¶©®™°±×÷"
# Control characters: the ones a bad copy-paste leaves for ‘ ’ – — “ ” and real binary.
CONTROLS = "\x00\x01\x07\x08\x0b\x0c\x0e\x13\x14\x18\x19\x1b\x1c\x1d\x1f\x7f\x85"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202e\u202d\u2028\u2029\u00a0\u3000"
BREAKS = ("\n", "\r\n", "\r", "\n\n", "\t", "  ")

word = st.sampled_from(WORDS)
punctuation_run = st.builds(lambda ch, n: ch * n, st.sampled_from(SYMBOLS), st.integers(2, 400))
mixed_run = st.text(alphabet=SYMBOLS, min_size=2, max_size=300)
controls = st.text(alphabet=CONTROLS, min_size=1, max_size=6)
invisible = st.text(alphabet=INVISIBLE, min_size=1, max_size=4)
html = st.sampled_from(("<p>", "</p>", "<br>", "<b>bold</b>", "&nbsp;", "&amp;", "<script>x()</script>",
                        "<!-- note -->", "<a href='x'>link</a>", "<", ">", "&#x1F600;"))
any_unicode = st.text(min_size=1, max_size=20)  # every code point Hypothesis knows, surrogates aside
surrogate = st.sampled_from(("\ud800", "\udfff", "\ud83d"))
piece = st.one_of(word, word, word, word, punctuation_run, mixed_run, controls, invisible, html,
                  st.sampled_from(BREAKS), any_unicode)

# A reply: mostly words, with hostile pieces mixed in; sometimes empty-ish, sometimes a lone surrogate.
reply_text = st.one_of(
    st.lists(piece, min_size=1, max_size=60).map(" ".join),
    st.lists(piece, min_size=1, max_size=30).map("".join),
    punctuation_run,
    st.text(max_size=200),
    st.tuples(st.lists(word, max_size=10).map(" ".join), surrogate).map("".join),
    st.sampled_from(("", " ", "\n\n", "\x00", "?" * 5000, "=" * 3000, "Thanks" + "!" * 3000)),
)

customer_text = st.one_of(st.none(), reply_text)
audience = st.one_of(st.none(), st.sampled_from(("non-technical", "technical", "expert", "")))
channel = st.one_of(st.none(), st.sampled_from(("email", "chat", "sms")))
dimensions = st.one_of(st.none(), st.just("tone"), st.lists(st.sampled_from(
    ("jargon", "readability", "tone", "empathy", "grammar", "security", "humour")), max_size=3))
history = st.one_of(st.none(), st.just("not a list"), st.lists(st.one_of(
    st.fixed_dictionaries({"role": st.sampled_from(("customer", "agent", "bot")), "text": reply_text}),
    st.integers(), st.none()), max_size=3))
# Arguments of the wrong kind, as a careless caller passes them.
wrong_kind = st.one_of(st.integers(), st.floats(allow_nan=True), st.binary(max_size=20), st.lists(st.integers()),
                       st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))

# Raw bytes as a file holds them: UTF-8 text, Windows-1252 bytes, NULs, BOMs, random binary.
file_bytes = st.one_of(
    reply_text.map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    reply_text.map(lambda t: t.encode("cp1252", errors="replace")),
    st.binary(max_size=400),
    st.tuples(st.just(b"\xef\xbb\xbf"), reply_text.map(lambda t: t.encode("utf-8", errors="replace"))).map(
        lambda parts: b"".join(parts)),
)

# One CSV field as an export writes it: anything, including commas, quotes and line breaks.
csv_field = st.one_of(reply_text, st.lists(word, max_size=12).map(" ".join),
                      st.lists(word, max_size=12).map(", ".join))
