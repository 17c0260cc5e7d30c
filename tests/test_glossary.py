"""The glossary: every term loads with its fields, is found in text with its exact span, and a
malformed glossary file is reported with the file and the field."""
from __future__ import annotations

import pytest

from coach import glossary
from coach.customer import customer_terms
from coach.errors import DataFileError

GLOSSARY = glossary.load_glossary()
FORMS = [pytest.param(term, form, id=f"{term.domain}:{form}") for term in GLOSSARY.terms for form in term.forms]
DOMAINS = {"networking", "accounts", "security", "hardware", "software", "cloud", "email", "operating-systems",
           "databases", "developer", "billing"}


def _found(nlp, text):
    doc = nlp(text)
    return [(match.term.id, text[match.start:match.end]) for match in glossary.find_terms(doc)]


def test_glossary_has_every_domain_and_enough_terms():
    assert {term.domain for term in GLOSSARY.terms} == DOMAINS
    assert len(GLOSSARY.terms) >= 1500


@pytest.mark.parametrize("term", [pytest.param(t, id=t.id) for t in GLOSSARY.terms])
def test_glossary_term_has_plain_alternative_and_explanation(nlp, term):
    assert term.plain and term.explanation.endswith(".")
    assert len(term.plain.split()) <= 8  # short enough to swap into the agent's sentence
    assert term.id == term.term.lower()
    # a plain alternative that is itself jargon would swap one term for another
    assert _found(nlp, term.plain) == []


def _sense_sentence(nlp, term):
    """A sentence naming one of the term's context words (one that is not jargon itself)."""
    if not term.context:
        return ""
    word = next(w for w in sorted(term.context) if not _found(nlp, w))
    return f" It's about the {word}."


@pytest.mark.parametrize(("term", "form"), FORMS)
def test_glossary_finds_every_term_and_alias(nlp, term, form):
    assert _found(nlp, f"Please check your {form}.{_sense_sentence(nlp, term)}") == [(term.id, form)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Your parcel is waiting at the access point on Main Street.", []),
    ("The access point on the ceiling has lost its Wi-Fi signal.", [("access point", "access point")]),
    ("We baked cookies for the team and left them in the kitchen.", []),
    ("Please clear the cookies in your browser.", [("cookie", "cookies")]),
    ("Our delivery drivers start at 8 in the morning.", []),
    ("Please update the drivers for your printer.", [("device driver", "drivers")]),
    ("Put your boots by the door.", []),
    ("The laptop won't boot from the USB stick.", [("boot", "boot")]),
    ("You can get proxy access to book your mum's appointments.", []),
    ("The proxy server is blocking the site.", [("proxy", "proxy server")]),
])
def test_glossary_term_with_context_matches_only_in_its_technical_sense(nlp, text, expected):
    assert _found(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The routers need a restart.", [("router", "routers")]),
    ("Routers and ROUTERS and Router.", [("router", "Routers"), ("router", "ROUTERS"), ("router", "Router")]),
    ("Your dns and your Dns are fine.", [("dns", "dns"), ("dns", "Dns")]),
    ("Check the IP addresses.", [("ip address", "IP addresses")]),
    ("Both firewalls block it.", [("firewall", "firewalls")]),
    ("I rebooted it, and I'm rebooting it again.", [("reboot", "rebooted"), ("reboot", "rebooting")]),
    ("The proxies on your network are slow.", [("proxy", "proxies")]),
    ("Turn on 2-factor? No: two factor authentication and Multi-Factor Authentication.",
     [("two-factor authentication", "two factor authentication"),
      ("two-factor authentication", "Multi-Factor Authentication")]),
])
def test_glossary_matches_plurals_inflections_and_case(nlp, text, expected):
    assert _found(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the longest form wins, and matches never overlap
    ("Add a DNS record for the site.", [("dns record", "DNS record")]),
    ("Use the M365 admin center.", [("admin center", "M365 admin center")]),
    ("Enable two-factor authentication (2FA).",
     [("two-factor authentication", "two-factor authentication"), ("two-factor authentication", "2FA")]),
    ("Your BitLocker recovery key is in the portal.", [("recovery key", "BitLocker recovery key")]),
])
def test_glossary_prefers_the_longest_match(nlp, text, expected):
    assert _found(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "Please send the request IDs.",          # IDS (intrusion detection) matches only in capitals
    "Nic will call you tomorrow.",           # NIC (network card)
    "The speaker bios are on the website.",  # BIOS
    "Click the ap icon.",                     # AP (access point)
    "It failed over the weekend.",            # not "fail over"
    "Thank you for the provision of the documents.",
    "Please log in and check your account.",
])
def test_glossary_ignores_everyday_words_that_look_like_terms(nlp, text):
    assert _found(nlp, text) == []


def test_glossary_terms_the_customer_used_are_given_by_id(nlp):
    doc = nlp("My wifi router keeps dropping and the DNS seems broken.")
    assert customer_terms(doc) == {"router", "dns"}
    assert customer_terms(None) == set()


# --- validation --------------------------------------------------------------------------------

GOOD_TERM = "  - term: DNS\n    aliases: [Domain Name System]\n    plain: internet address book\n" \
            "    explanation: The internet's address book.\n"


def _write(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("files", "file", "where", "problem"), [
    ({"networking.yaml": "terms:\n" + GOOD_TERM + "  - term: router\n    aliases: []\n"
                                                   "    explanation: The box.\n"},
     "networking.yaml", "terms[1].plain", "missing"),
    ({"networking.yaml": "terms:\n  - term: router\n    plain: internet box\n    explanation: The box.\n"},
     "networking.yaml", "terms[0].aliases", "missing"),
    ({"networking.yaml": "terms:\n  - term: router\n    aliases: []\n    plain: 3\n    explanation: The box.\n"},
     "networking.yaml", "terms[0].plain", "must be str"),
    ({"networking.yaml": "terms:\n  - term: router\n    aliases: ['']\n    plain: box\n    explanation: The box.\n"},
     "networking.yaml", "terms[0].aliases[0]", "must be a non-empty string"),
    ({"networking.yaml": "terms:\n  - term: router\n    alias: []\n    plain: box\n    explanation: The box.\n"},
     "networking.yaml", "terms[0].alias", "unknown field"),
    ({"networking.yaml": "terms:\n  - term: router\n    aliases: []\n    plain: box\n    explanation: The box.\n"
                         "    exact_case: yes please\n"},
     "networking.yaml", "terms[0].exact_case", "must be bool"),
    ({"networking.yaml": "terms:\n  - term: VPN\n    aliases: []\n    plain: secure link\n    explanation: A link.\n"
                         "    workplace: often\n"},
     "networking.yaml", "terms[0].workplace", "must be bool"),
    ({"networking.yaml": "terms:\n  - term: router\n    aliases: []\n    plain: box\n    explanation: The box.\n"
                         "    everyday: true\n    workplace: true\n"},
     "networking.yaml", "terms[0].workplace", "known to everyone"),
    ({"networking.yaml": "terms:\n" + GOOD_TERM,
      "security.yaml": "terms:\n  - term: VPN\n    aliases: [dns]\n    plain: secure link\n    explanation: A link.\n"},
     "security.yaml", "terms[0].aliases[0]", "already a form of 'DNS' in networking.yaml"),
    ({"networking.yaml": "terms:\n" + GOOD_TERM + GOOD_TERM},
     "networking.yaml", "terms[1].term", "already a form of 'DNS'"),
    ({"networking.yaml": "terms: [\n"}, "networking.yaml", "line", "invalid YAML"),
    ({"networking.yaml": "- term: DNS\n"}, "networking.yaml", "", "must be a mapping"),
    ({"networking.yaml": "terms: []\n"}, "networking.yaml", "terms", "must not be empty"),
])
def test_glossary_malformed_file_names_file_and_field(tmp_path, monkeypatch, files, file, where, problem):
    monkeypatch.setenv("COACH_GLOSSARY_DIR", str(_write(tmp_path, files)))
    with pytest.raises(DataFileError) as caught:
        glossary.load_glossary()
    message = str(caught.value)
    assert f"{file}: {where}" in message and problem in message


def test_glossary_empty_directory_is_an_error(tmp_path):
    with pytest.raises(DataFileError, match="no glossary files"):
        glossary.load_glossary(tmp_path)


def test_glossary_directory_comes_from_the_environment(tmp_path, monkeypatch, nlp):
    monkeypatch.setenv("COACH_GLOSSARY_DIR", str(_write(tmp_path, {"networking.yaml": "terms:\n" + GOOD_TERM})))
    loaded = glossary.load_glossary()
    assert [term.id for term in loaded.terms] == ["dns"]
    assert loaded.get("dns").domain == "networking"
    matches = glossary.compiled_glossary(nlp).find(nlp("The Domain Name System and the router."))
    assert [m.term.id for m in matches] == ["dns"]
