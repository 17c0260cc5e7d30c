"""Practice scripts built from each scenario's model answers: the model answer as written (good), and
the model answer with unexplained jargon, a blame phrase or a request for a secret added. Tests play
every scenario with each; the added words are what the customer's next message should quote."""
from __future__ import annotations

JARGON = "The root cause was a DHCP lease conflict on the VLAN."
JARGON_TERMS = ("DHCP lease", "VLAN", "DHCP")
BLAME = "You should have read the instructions we sent."
UNSAFE = "To check your account, please send me your password."


def _added(model: str, sentence: str) -> str:
    """The model answer with `sentence` as a paragraph of the body: after the first body paragraph of
    an email (greeting, body..., sign-off), at the end of a one-paragraph chat message."""
    paragraphs = model.split("\n\n")
    at = 2 if len(paragraphs) > 2 else len(paragraphs)
    return "\n\n".join([*paragraphs[:at], sentence, *paragraphs[at:]])


def script(kind: str, model: str) -> str:
    """One reply of the `kind` script (good, jargon, cold, unsafe) for a turn whose model answer is `model`."""
    return {"good": model, "jargon": _added(model, JARGON), "cold": f"{BLAME} {model}",
            "unsafe": _added(model, UNSAFE)}[kind]
