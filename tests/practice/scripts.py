"""Practice scripts built from each scenario's model answers: the model answer as written (good), and
the model answer with unexplained jargon, a blame phrase or a request for a secret added. Tests play
every scenario with each; the added words are what the customer's next message should quote."""
from __future__ import annotations

JARGON = "The root cause was a DHCP lease conflict on the VLAN."
JARGON_TERMS = ("DHCP lease", "VLAN", "DHCP")
BLAME = "You should have read the instructions we sent."
UNSAFE = "To check your account, please send me your password."


def script(kind: str, model: str) -> str:
    """One reply of the `kind` script (good, jargon, cold, unsafe) for a turn whose model answer is `model`."""
    return {"good": model, "jargon": f"{model}\n\n{JARGON}", "cold": f"{BLAME} {model}",
            "unsafe": f"{model}\n\n{UNSAFE}"}[kind]
