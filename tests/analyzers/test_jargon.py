"""The jargon analyser: what an agent sees flagged, what stays quiet, and how the score moves."""
from __future__ import annotations

import pytest
import yaml

from coach import glossary
from coach.analyzers.jargon import analyzer, build_config
from coach.context import AnalysisContext, TeamSettings, TeamTerm, Turn
from coach.customer import infer_persona
from coach.errors import DataFileError
from coach.rules import load_ruleset
from coach.samples import load_samples

GLOSSARY = glossary.load_glossary()
# every term in its own sentence (tests/test_glossary.py matches every alias); a term that has an
# everyday sense gets one of its context words in a second sentence
TERMS = [pytest.param(term, id=f"{term.domain}:{term.term}") for term in GLOSSARY.terms if not term.everyday]
EVERYDAY = [pytest.param(term, id=f"{term.domain}:{term.term}") for term in GLOSSARY.terms if term.everyday]
WORKPLACE = [pytest.param(term, id=f"{term.domain}:{term.term}") for term in GLOSSARY.terms if term.workplace]


def check(nlp, text, customer=None, audience=None):
    """Run the analyser the way coach.analyze does, on the real pipeline."""
    customer_doc = nlp(customer) if customer else None
    persona = infer_persona(customer_doc, nlp, audience)
    return analyzer.analyze(AnalysisContext(text, nlp(text), persona, customer, customer_doc))


def flagged(result, rule=None):
    return [f.text for f in result.findings if rule is None or f.rule == rule]


def explained(result):
    return [e.text for e in result.evidence if e.rule == "jargon.explained-term"]


def _context_sentence(nlp, term):
    if not term.context:
        return ""
    word = next(w for w in sorted(term.context) if not glossary.find_terms(nlp(w)))
    return f" It's about the {word}."


@pytest.mark.parametrize("term", EVERYDAY)
def test_jargon_never_flags_an_everyday_term(nlp, term):
    text = f"Please check your {term.term}.{_context_sentence(nlp, term)}"
    assert flagged(check(nlp, text), "jargon.glossary-term") == []


@pytest.mark.parametrize(("text", "customer"), [
    ("Tap Settings, then tap Factory reset under Advanced.", None),   # an on-screen label
    ("Click Deauthorize Device and confirm.", None),
    ("Your VPN profile expired, so I've sent you a new one.", "My VPN stopped connecting."),
    ("I've renewed the DHCP lease on your laptop.", "The DHCP server gave me a weird address."),
])
def test_jargon_spares_screen_labels_and_phrases_built_on_the_customers_word(nlp, text, customer):
    assert flagged(check(nlp, text, customer)) == []


@pytest.mark.parametrize("term", TERMS)
def test_jargon_flags_every_glossary_term(nlp, term):
    form = term.term
    text = f"Please check your {form}.{_context_sentence(nlp, term)}"
    result = check(nlp, text)
    start = len("Please check your ")
    [finding] = [f for f in result.findings if f.start < start + len(form)]
    assert (finding.rule, finding.severity) == ("jargon.glossary-term", "warning")
    assert (finding.start, finding.end) == (start, start + len(form))
    assert text[finding.start:finding.end] == finding.text == form
    assert finding.message == f"'{form}' is jargon for most customers."
    assert finding.suggestion == term.plain


@pytest.mark.parametrize("text", [
    "Your DNS (the internet's address book) needs a small change.",
    "The internet's address book (DNS) needs a small change.",
    "Please restart your access point, the box that brings the internet into your home.",
    "DNS, which is the internet's address book, needs a small change.",
    "You'll need a VPN — a secure tunnel into the office network.",
    "You'll need a VPN: a secure tunnel into the office network.",
    "You'll need a secure tunnel called a VPN.",
    "A VPN is a way to reach the office network safely from home.",
    "Two-factor authentication means we also text you a code when you sign in.",
    "Your access point, the box we sent you last year for the internet, needs a restart.",
    "The SSID, in other words the name of your Wi-Fi network, has changed.",
    "The books are DRM protected, that is the copyright protection on each file.",
    "The error 'ERR_SSL_PROTOCOL_ERROR' means the page's security check failed.",
])
def test_jargon_explained_term_is_not_flagged_and_counts_as_strength(nlp, text):
    result = check(nlp, text)
    assert flagged(result) == []
    assert explained(result)
    assert result.score == 100.0


@pytest.mark.parametrize(("text", "evidence"), [
    ("Your DNS (the internet's address book) needs a small change.", "DNS (the internet's address book)"),
    ("Please restart your access point, the box that brings the internet into your home.",
     "access point, the box that brings the internet into your home"),
    ("It's on, and it uses a secure tunnel called a VPN.", "it uses a secure tunnel called a VPN"),
])
def test_jargon_explained_term_evidence_quotes_term_and_explanation(nlp, text, evidence):
    assert explained(check(nlp, text)) == [evidence]


@pytest.mark.parametrize(("text", "expected"), [
    # a list, not an explanation
    ("Please restart the firewall, the NAS and the computer.", ["firewall", "NAS"]),
    # the bracket only repeats the term
    ("Turn on two-factor authentication (2FA) today.", ["two-factor authentication"]),
    ("Turn on MFA (multi-factor authentication) today.", ["MFA"]),
    # "is a" without a definition
    ("The firewall is a bit old, so I'll replace it.", ["firewall"]),
])
def test_jargon_unexplained_term_stays_flagged(nlp, text, expected):
    assert flagged(check(nlp, text)) == expected


def test_jargon_explained_once_covers_every_mention(nlp):
    text = "Your DNS (the internet's address book) is out of date. I've updated the DNS for you."
    assert flagged(check(nlp, text)) == []


def test_jargon_every_unexplained_mention_is_flagged_but_scored_once(nlp):
    once = check(nlp, "Please restart the firewall today, and thank you for your patience with this.")
    twice = check(nlp, "Please restart the firewall today, and the firewall will thank you for it.")
    assert flagged(twice) == ["firewall", "firewall"]
    assert twice.metrics["jargon_terms"] == once.metrics["jargon_terms"] == 1


@pytest.mark.parametrize(("customer", "reply"), [
    ("My firewall keeps dropping the connection.", "Thanks for checking the firewall. I'll send a new one today."),
    ("My wireless access point keeps dropping.", "I'll replace the wireless access point today."),
    ("Is your NOC aware of the outage?", "Yes, the NOC is looking at it now."),
    ("The app says the request is not idempotent.", "Sending it twice is safe: the request is idempotent."),
])
def test_jargon_term_the_customer_used_first_is_not_flagged(nlp, customer, reply):
    assert flagged(check(nlp, reply, customer=customer)) == []
    assert flagged(check(nlp, reply)) != []


@pytest.mark.parametrize(("customer", "reply", "term"), [
    ('Sorry, what is "VLAN"? I have no idea.', "The VLAN is fine now, so your card reader should connect.", "VLAN"),
    ("What does MFA mean?", "Yes, MFA is required for all staff from Monday.", "MFA"),
    ("I've never heard of a static IP. Do I need one?", "You need a static IP for the camera.", "static IP"),
])
def test_jargon_term_the_customer_asked_about_is_still_flagged(nlp, customer, reply, term):
    assert flagged(check(nlp, reply, customer=customer)) == [term]


@pytest.mark.parametrize("reply", [
    "The 502 errors came from a load balancer timeout; the DNS record and TLS certificate are fine.",
    "Retrying with backoff is safe: the endpoint is idempotent.",
])
def test_jargon_technical_audience_glossary_terms_and_rare_words_not_flagged(nlp, reply):
    result = check(nlp, reply, audience="technical")
    assert flagged(result) == []
    assert result.score == 100.0
    assert flagged(check(nlp, reply, audience="non-technical"))


def test_jargon_technical_audience_unknown_acronym_is_only_a_suggestion(nlp):
    text = "Our CSIRT has raised the QBR date."
    technical = check(nlp, text, audience="technical")
    assert [(f.text, f.severity) for f in technical.findings] == [("CSIRT", "suggestion"), ("QBR", "suggestion")]
    assert technical.score > check(nlp, text).score


def test_jargon_technical_audience_inferred_from_customer_message(nlp):
    customer = "Our API returns HTTP 502 on the /v2/orders endpoint; curl shows a TLS handshake timeout."
    assert flagged(check(nlp, "It was a load balancer fault and a DNS record typo.", customer=customer)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The QBR has moved to Friday.", ["QBR"]),
    ("Our CSIRT will update you, and the CSIRTs share notes.", ["CSIRT", "CSIRTs"]),
    ("The B2B portal is down.", ["B2B"]),
])
def test_jargon_flags_unknown_acronyms(nlp, text, expected):
    result = check(nlp, text)
    assert flagged(result, "jargon.acronym") == expected
    assert all(f.suggestion == f"Spell out '{f.text}' and say what it does in plain words, or leave it out."
               for f in result.findings)


@pytest.mark.parametrize("text", [
    "Please send me a PDF of the invoice by 5 PM.",
    "I'll call you ASAP, and the ETA is 3 PM UTC.",
    "Plug it into a USB3 port and check the TV.",
    "PLEASE DO NOT RESTART THE COMPUTER until the update has finished.",
    "I've lowered the TTL (time to live) on your record.",
    "I've lowered the time to live (TTL) on your record.",
    "We need the CVV from the back of your card, not the full number.",
    "Your order number starts with RB and is in your confirmation e-mail.",   # letters to look for
])
def test_jargon_everyday_or_explained_acronyms_not_flagged(nlp, text):
    assert flagged(check(nlp, text), "jargon.acronym") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The results are nondeterministic under load.", ["nondeterministic"]),
    ("The response is paginated, so the report may take a minute.", ["paginated"]),
])
def test_jargon_rare_technical_words_are_hints_that_cost_nothing(nlp, text, expected):
    result = check(nlp, text)
    assert flagged(result, "jargon.rare-technical-word") == expected
    assert {f.severity for f in result.findings} == {"hint"}
    assert result.score == 100.0


@pytest.mark.parametrize("text", [
    "The delay was serendipitous: it helped us find a second fault.",   # rare but ordinary English
    "Hi Priya, Siobhan from Ballymena will call you.",                   # names
    "I've recieved your message and definately will help.",              # typos: grammar's job
    "Untick the box, unmute the headset and check the touchpad.",       # made of everyday parts
    "I'll finalise the licence and prioritise your enrolment.",          # British spellings
    "Please don't pull the paper out urself, I'll send someone.",         # text-speak: "ur" + "self"
    "Your order number is 48213 and your reference is ab7f.",            # numbers and codes
])
def test_jargon_ordinary_rare_words_not_flagged(nlp, text):
    assert flagged(check(nlp, text)) == []


def test_jargon_suggestion_is_capitalised_at_sentence_start(nlp):
    [finding] = check(nlp, "Thanks for waiting. Firmware is the cause.").findings
    assert (finding.text, finding.suggestion) == ("Firmware", "Built-in device software")


def test_jargon_offsets_hold_after_emoji_and_html(nlp):
    text = "Hi 👋🏽 <b>there</b>! Please restart the firewall 🙂 and check the DNS."
    result = check(nlp, text)
    assert [(f.text, text[f.start:f.end]) for f in result.findings] == [("firewall", "firewall"), ("DNS", "DNS")]


PLAIN = ("Hi Sam,\n\nI'm sorry the internet keeps dropping. I've found the cause: the box that shares "
         "your connection keeps restarting. I'll send a new one today, and our engineer will fit it "
         "tomorrow morning.\n\nBest regards,\nAlex")
HEAVY = ("Hi Sam,\n\nThe AP firmware has a DHCP lease bug, so the SSID drops. Power cycle the WAP and "
         "check the subnet mask.\n\nBest regards,\nAlex")


def test_jargon_plain_reply_scores_high_and_jargon_heavy_low(nlp):
    plain, heavy = check(nlp, PLAIN), check(nlp, HEAVY)
    assert plain.score > 90 and heavy.score < 70
    assert plain.metrics == {"jargon_terms": 0, "jargon_density": 0.0}
    assert heavy.metrics["jargon_terms"] >= 5 and heavy.metrics["jargon_density"] > 10


LONG = ("Hi Sam,\n\nI'm sorry the internet keeps dropping, and I know how disruptive that is when you "
        "have clients in the office all afternoon. I've looked at the history of your connection "
        "this week and found the cause: the access point keeps restarting itself, usually a few minutes "
        "after it gets warm. It isn't anything you did, and you don't need to change any settings.\n\n"
        "I'll post you a replacement today by next-day delivery, and our engineer will come to fit it "
        "tomorrow morning between nine and eleven. It takes about twenty minutes, and everything will "
        "work as before afterwards. Until then, switching it off and on again will bring the internet "
        "back for a few hours.\n\nI'll call you tomorrow at noon to make sure everything is working. "
        "Let me know if anything else comes up before then.\n\nBest regards,\nAlex")


def test_jargon_one_term_in_a_long_reply_costs_less_than_in_a_short_one(nlp):
    short = check(nlp, "Please restart the firewall.")
    long = check(nlp, LONG)
    assert 90 < long.score < 100
    assert short.score < long.score


def test_jargon_score_falls_as_unexplained_terms_add_up(nlp):
    scores = [check(nlp, text).score for text in (
        "Please restart the box your internet comes through, then try again.",
        "Please restart the firewall, then try again.",
        "Please restart the firewall and the NAS, then try again.",
        "Please restart the firewall, the NAS and the network switch, then flush the DNS cache.",
    )]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 4


@pytest.mark.parametrize(("case", "good", "poor"), [
    pytest.param(case, good, poor, id=f"{case.id}:{poor.id}")
    for case in load_samples() for good in case.replies if good.quality == "good"
    for poor in case.replies if "jargon" in poor.fails])
def test_jargon_sample_replies_plain_beats_jargon(nlp, case, good, poor):
    good_result = check(nlp, good.text, customer=case.customer)
    poor_result = check(nlp, poor.text, customer=case.customer)
    assert good_result.score > 90 > 70 > poor_result.score
    assert flagged(good_result) == []


@pytest.mark.parametrize(("change", "where"), [
    ({"penalties": {"warning": "lots", "suggestion": 4}}, "settings.penalties.warning"),
    ({"penalties": {"warning": 12, "suggestion": 4, "loud": 3}}, "settings.penalties.loud"),
    ({"density": {"reference": 0, "min_scale": 0.5, "max_scale": 1.5}}, "settings.density.reference"),
    ({"audiences": {"technical": {"jargon.nonsense": "warning"}}}, "settings.audiences.technical.jargon.nonsense"),
    ({"audiences": {"technical": {"jargon.acronym": "error"}}}, "settings.audiences.technical.jargon.acronym"),
    ({"acronym": {"pattern": "["}}, "settings.acronym.pattern"),
    ({"technical_text": {"kinds": [{"kind": "code", "message": "m", "patterns": ["(unclosed"]}]}},
     "settings.technical_text.kinds[0].patterns[0]"),
    ({"technical_text": {"kinds": [{"kind": "path", "message": "m", "patterns": ["/x"]}]}},
     "settings.technical_text.kinds"),
    ({"colour": "blue"}, "settings.colour"),
    ({"audiences": {"engineers": {"jargon.acronym": "warning"}}}, "settings.audiences.engineers"),
    ({"workplace": {"customer_cues": ["(unclosed"]}}, "settings.workplace.customer_cues[0]"),
    ({"workplace": {"reply_cues": ["ok", "[x"]}}, "settings.workplace.reply_cues[1]"),
    ({"holding": {"send_verbs": "send"}}, "settings.holding.send_verbs"),
])
def test_jargon_malformed_settings_name_file_and_field(tmp_path, change, where):
    raw = yaml.safe_load(load_ruleset("jargon").path.read_text(encoding="utf-8"))
    for key, value in change.items():  # nested settings are changed, not replaced
        old = raw["settings"].get(key)
        raw["settings"][key] = {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
    broken = tmp_path / "jargon.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        build_config(load_ruleset("jargon", broken))
    assert f"jargon.yaml: {where}" in str(caught.value)


def rules_and_texts(result):
    return [(f.rule, f.text) for f in result.findings]


@pytest.mark.parametrize(("text", "expected", "kind"), [
    ("Please run ipconfig /flushdns and try again.", "ipconfig /flushdns", "code or a command"),
    ("Every POST to /api/v3/orders fails since noon.", "POST to /api/v3/orders", "web request"),
    ("Type `net use Z: /delete` in the window.", "`net use Z: /delete`", "code or a command"),
    ("Then run sudo apt update on the server.", "sudo apt update", "code or a command"),
    ("Please ping 10.0.0.12 from your laptop.", "ping 10.0.0.12", "code or a command"),
    ("Add --force to the command.", "--force", "command-line option"),
    ("Open port 8443 on the firewall.", "port 8443", "network address or port"),
    ("The gateway is 192.168.10.1:8080 now.", "192.168.10.1:8080", "network address or port"),
    ("Its MAC is 3C:22:FB:10:AA:01, so it's the right one.", "3C:22:FB:10:AA:01", "network address or port"),
    ("Delete C:\\Users\\sam\\AppData\\Local\\Temp and restart.", "C:\\Users\\sam\\AppData\\Local\\Temp", "file path"),
    ("Edit /etc/hosts and save it.", "/etc/hosts", "file path"),
    ("Set HKLM\\Software\\Acme\\Sync to 1.", "HKLM\\Software\\Acme\\Sync", "registry key"),
    ("Open settings.json and change the theme.", "settings.json", "file path"),
    ("Update to 10.0.19045.3803 first.", "10.0.19045.3803", "version or build"),
    ("The installer stops with 0x80070643.", "0x80070643", "error code"),
    ("We saw 504s from the gateway overnight.", "504s", "error code"),
    ("Set retry_count to 5.", "retry_count", "technical name"),
    ("The flag sendReceipts is off.", "sendReceipts", "technical name"),
    ("Read the X-RateLimit-Reset header and wait.", "X-RateLimit-Reset header", "technical header"),
    ("We ran ALTER TABLE on the orders.", "ALTER TABLE", "database command"),
    # a path through hidden or system folders, or with a variable, is still cryptic
    ("Clear %appdata%\\Microsoft\\Teams and restart.", "%appdata%", "file path"),
    ("Look in C:\\Windows\\System32\\drivers for it.", "C:\\Windows\\System32\\drivers", "file path"),
    ("I've recreated the imagePullSecret for you.", "imagePullSecret", "technical name"),
])
def test_jargon_flags_the_shapes_of_technical_text(nlp, text, expected, kind):
    findings = [f for f in check(nlp, text).findings if f.rule == "jargon.technical-text"]
    assert [f.text for f in findings] == [expected]
    assert kind in findings[0].message and text[findings[0].start:findings[0].end] == expected


@pytest.mark.parametrize("text", [
    "Go to https://help.example.com/reset/v2 and follow the steps.",
    "Send the screenshots to support@example.co.uk and we'll reply.",
    "Your order 12345 ships on 03.12.2026 and costs £12.50.",
    "We're open 24/7, and either/or works for us.",
    "Make sure the lid is closed, then try again.",
    "I'll ping you when it's done.",
    "The Wi-Fi is back, and so is the printer.",
    "Call us on 0800 123 4567 any time.",
    # a folder of everyday names the customer opens, a version the reply names as one, mixed case
    # that is no program's name (parts that are no words)
    "Your export is ready in the shared folder \\\\fileserver\\exports\\alejandro.",
    "Look in C:\\data\\my digital editions and delete the old books.",
    'A version number will look something like this: "4.15.48213 (N4421, 5/27/19)".',
    "You need version 4.15.2 or later; it's under Settings > About.",
    "Any books sideloNovad would be removed.",
])
def test_jargon_ordinary_text_that_looks_technical_is_not_flagged(nlp, text):
    assert [f for f in check(nlp, text).findings if f.rule == "jargon.technical-text"] == []


def test_jargon_technical_text_the_customer_used_first_is_not_flagged(nlp):
    customer = "I already ran ipconfig /flushdns and it still fails."
    assert check(nlp, "Thanks for running ipconfig /flushdns; that rules out one cause.", customer=customer).findings == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("The core switch failed, so the standby took over.", ["core switch"]),
    ("Right-click the icon in the system tray.", ["system tray"]),
    ("Your Wi-Fi card may be faulty.", ["Wi-Fi card"]),
    ("The admin console shows the error.", ["admin console"]),
    # an everyday glossary term wins over the phrase rule: phone users know push notifications
    ("Turn on push notifications for the app.", []),
])
def test_jargon_flags_technical_phrases(nlp, text, expected):
    assert [f.text for f in check(nlp, text).findings] == expected


@pytest.mark.parametrize("text", [
    "Put the memory card back in the camera.",
    "Your credit card was charged twice; I've refunded one payment.",
    "The office network is back, and your home network is fine.",
    "Press the Windows key and type 'printer'.",
])
def test_jargon_everyday_compounds_are_not_technical_phrases(nlp, text):
    assert [f for f in check(nlp, text).findings if f.rule == "jargon.technical-phrase"] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The ETA for a fix is TBD.", [("ETA", "expected time"), ("TBD", "not decided yet")]),
    ("I'll send it by EOD, FYI.", [("EOD", "end of the day"), ("FYI", "for your information")]),
])
def test_jargon_office_shorthand_has_its_own_rule_and_spelled_out_suggestion(nlp, text, expected):
    result = check(nlp, text)
    assert [(f.text, f.suggestion) for f in result.findings] == expected
    assert {f.rule for f in result.findings} == {"jargon.shorthand"}
    assert "office shorthand" in result.findings[0].message


@pytest.mark.parametrize("text", ["Did you RTFM before calling?", "Honestly, WTF happened to the update?"])
def test_jargon_rude_shorthand_is_left_to_tone(nlp, text):
    assert check(nlp, text).findings == ()


@pytest.mark.parametrize("text", [
    "Your parcel was left at the access point on Station Road.",
    "Open Microsoft Authenticator and approve the sign-in.",
    "We're baking cookies for the open day.",
    "The vacuum cleaner you ordered ships today.",
])
def test_jargon_everyday_senses_and_product_names_are_not_jargon(nlp, text):
    assert check(nlp, text).findings == ()


TEAM = TeamSettings(terms=(TeamTerm("Zephyr queue", "repair waiting list"), TeamTerm("RMA", "return form")),
                    approved_words=frozenset({"Acme Tunnel", "VPN", "SLA", "dashboard"}))


def check_team(nlp, text, team=TEAM):
    return analyzer.analyze(AnalysisContext(text, nlp(text), team=team))


def test_jargon_team_terms_flag_like_glossary_terms_with_the_teams_plain_words(nlp):
    result = check_team(nlp, "Your laptop is in the Zephyr queue and I've raised an RMA for it.")
    assert [(f.rule, f.text, f.suggestion) for f in result.findings] == [
        ("jargon.glossary-term", "Zephyr queue", "repair waiting list"), ("jargon.glossary-term", "RMA", "return form")]


@pytest.mark.parametrize("text", [
    "Open Acme Tunnel and the VPN will connect again.",  # "sync" is an everyday word now
    "Our SLA is four hours, shown on the dashboard.",
])
def test_jargon_team_approved_words_are_never_flagged(nlp, text):
    assert check_team(nlp, text).findings == ()
    assert check_team(nlp, text, TeamSettings()).findings != ()


@pytest.mark.parametrize(("text", "expected"), [
    ("Our devs are looking at it.", [("devs", "developers")]),          # the term, not "Our"
    # whole technical phrases, each with a plain alternative that can stand in its place
    ("Your laptop has a stale Kerberos ticket cache, so I've cleared it.", [("Kerberos ticket cache", "saved sign-in")]),
    ("The sync client can't upload deltas to the server.",
     [("sync client", "app that copies your files online"), ("deltas", "changes")]),
    ("The sync engine will retry and reconcile automatically.",
     [("sync engine", "app that copies your files online"), ("reconcile automatically", "sort itself out")]),
    # a short plain phrase, so it still reads after an adjective: "heavy connection dropouts"
    ("We saw heavy packet loss this morning.", [("packet loss", "connection dropouts")]),
])
def test_jargon_spans_hold_the_term_and_its_plain_alternative(nlp, text, expected):
    assert [(f.text, f.suggestion) for f in check(nlp, text).findings] == expected


@pytest.mark.parametrize("text", [
    "Please restart your router and your modem, then try again.",
    "If that doesn't help, do a factory reset from the watch's settings.",
    "Would you mind reading out the authentication code when I call?",
    "Your Delta flight details are in the app.",                         # no sync nearby: the airline
])
def test_jargon_terms_device_owners_know_are_not_flagged(nlp, text):
    assert flagged(check(nlp, text), "jargon.glossary-term") == []


def test_jargon_colon_before_a_clause_is_no_explanation(nlp):
    result = check(nlp, "The sign-in failed because of conditional access: your phone isn't enrolled.")
    assert flagged(result) == ["conditional access"] and explained(result) == []


def check_turns(nlp, text, history, customer=None):
    customer_doc = nlp(customer) if customer else None
    return analyzer.analyze(AnalysisContext(text, nlp(text), infer_persona(customer_doc, nlp), customer,
                                            customer_doc, channel="chat", history=history))


def test_jargon_term_the_agent_used_in_an_earlier_turn_is_not_flagged_again(nlp):
    earlier = (Turn("agent", "Please put the watch in recovery mode."), Turn("customer", "Done, it still fails."))
    reply = "Thanks. In recovery mode, choose the second option."
    assert flagged(check_turns(nlp, reply, earlier)) == []
    assert flagged(check_turns(nlp, reply, ())) == ["recovery mode"]
    asked = (*earlier, Turn("customer", "Sorry, what is recovery mode?"))
    assert flagged(check_turns(nlp, reply, asked)) == ["recovery mode"]


@pytest.mark.parametrize("customer", [
    "The phone is on the desk. What is a VLAN?",                        # the message's Doc sentences
    "What is a VLAN?\nThe phone is on the desk",
])
def test_jargon_asked_meaning_found_in_the_customers_sentences(nlp, customer):
    assert flagged(check(nlp, "The VLAN is fine now.", customer=customer)) == ["VLAN"]
    assert flagged(check(nlp, "The VLAN is fine now.", customer="My VLAN is down.")) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Sam,\n\nThe DNS is fixed.\n\nCheers,\nDev Team", ["DNS"]),       # a team's name in the sign-off
    ("Hi Sam,\n\nThe DNS is fixed.\n\nThanks,\nMina Patel\nNOC team", ["DNS"]),
    ("Hi Sam,\nThe DNS is fixed, the NOC says", ["DNS", "NOC"]),           # a greeting is no closing line
])
def test_jargon_sign_off_names_are_not_jargon(nlp, text, expected):
    assert flagged(check(nlp, text)) == expected


@pytest.mark.parametrize(("customer", "reply", "expected"), [
    # a customer who writes a system's inside names reads the technical words of the answer
    ("Our staging deploys fail with 'ImagePullBackOff' since noon.",
     "The registry credentials in your staging namespace expired, so I've recreated the imagePullSecret.", []),
    ("Running `kubectl get pods` shows nothing.", "The namespace was deleted by the cleanup job.", []),
    ("Our pods restart every hour and show OOMKilled.", "I've raised the memory limit on your namespace.", []),
    ("Since noon every POST to /v2/orders returns a 500.", "Please clear your browser cache.", []),
    # an error name a browser shows anyone, or an error code copied from a screen, is not enough
    ("Chrome says ERR_CONNECTION_REFUSED on your site.", "Your DNS settings were wrong; I've fixed them.", ["DNS"]),
    ("Windows shows 0x80070005 when I update.", "The namespace was deleted by the cleanup job.", ["namespace"]),
])
def test_jargon_customer_writing_inside_text_reads_technical_words(nlp, customer, reply, expected):
    assert flagged(check(nlp, reply, customer=customer)) == expected


@pytest.mark.parametrize(("customer", "reply", "expected"), [
    ("Nobody can get into the shared admin account.", "Give each person their own login with admin rights.", []),
    ("Nobody can get into the shared account.", "Give each person their own login with admin rights.",
     ["admin rights"]),
    ("The DNS page won't load.", "I've flushed the DNS cache for you.", []),          # built on "DNS"
    # saying an everyday glossary word doesn't show one knows its technical compounds
    ("My files won't sync.", "The sync client stopped.", ["sync client"]),
])
def test_jargon_phrase_opening_with_the_customers_word_in_everyday_words_is_known(nlp, customer, reply, expected):
    assert flagged(check(nlp, reply, customer=customer)) == expected


def test_jargon_customers_own_word_in_another_form_is_not_flagged(nlp):
    reply = "Please resend the e-mails that bounced."
    assert flagged(check(nlp, reply, customer="My emails keep bouncing back.")) == []
    assert flagged(check(nlp, reply, customer="My emails don't arrive.")) == ["bounced"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Then choose Wipe cache partition from the recovery screen.", []),   # an on-screen option to pick
    ("Then tap Clear DNS cache and try again.", []),
    ("Click OK and the DNS cache clears.", ["DNS cache"]),                # the label ended before the term
    ("Please open Credential Manager from the Start menu.", []),          # an app opened by its name
    ("Please open credential manager and remove the old entries.", ["credential manager"]),
    ("Open DNS settings and check the server.", ["DNS"]),                 # an acronym is not a name
    ("Please clear cookies and cache, then sign in again.", []),          # the browser's own clean-up
    ("Please clear the cache, then sign in again.", ["cache"]),
])
def test_jargon_on_screen_labels_and_the_browsers_clean_up_are_not_jargon(nlp, text, expected):
    assert flagged(check(nlp, text)) == expected


@pytest.mark.parametrize(("customer", "reply", "expected"), [
    ("Our webhook stopped receiving events yesterday.",
     "Your endpoint returned 503s, so after ten retries we paused the webhook.", []),
    ("My cloud storage is full.", "Your OneDrive quota is exceeded.", ["quota"]),   # everyday, not a developer's
    ("Our server keeps crashing.", "The RAID array is degraded.", ["RAID array"]),  # not a developer's term
    ("Big uploads through our ingress fail after a minute.", "I've raised the proxy read timeout.", []),
])
def test_jargon_customer_who_runs_a_developers_thing_reads_technical_words(nlp, customer, reply, expected):
    assert flagged(check(nlp, reply, customer=customer)) == expected


# --- readers at work, and things the customer holds ----------------------------------------------

AT_WORK = "Hi, my work laptop can't open it this morning."


@pytest.mark.parametrize("term", WORKPLACE)
def test_jargon_workplace_term_is_known_to_staff_but_jargon_to_other_customers(nlp, term):
    text = f"Please check the {term.term}.{_context_sentence(nlp, term)}"
    assert flagged(check(nlp, text, customer=AT_WORK), "jargon.glossary-term") == []
    assert flagged(check(nlp, text, customer="Hi, it stopped working this morning."),
                   "jargon.glossary-term") == [term.term]


@pytest.mark.parametrize(("customer", "reply", "expected"), [
    # the customer writes from work
    ("I can't get into the team drive from home.", "The team drive only opens on the VPN.", []),
    ("Nobody in the Leeds office can print.", "I've cleared the print queue; please try again.", []),
    ("the printer on floor 2 says offline", "I've restarted its print queue.", []),
    ("I've got a new work phone. How do I get my emails on it?", "There is a guide on the intranet.", []),
    ("Our whole team couldn't log in today.", "The outage locked out accounts that use single sign-on.", []),
    ("My manager asked me to get access to the sales inbox.", "I've added you to the shared mailbox.", []),
    ("The scanner stopped sending to my inbox.\n\nThanks,\nJo Price\nOffice Manager", "I've fixed the shared mailbox.", []),
    ("The scanner stopped sending to my inbox.\n\nJo Price\nHarbour Dental Ltd", "I've fixed the shared mailbox.", []),
    # or the reply comes from their own IT desk
    (None, "Your laptop has the VPN client installed. Please bring it back to the IT desk on the 14th.", []),
    (None, "Obviously the VPN has to be on before the drive appears.\n\nIT", []),
    # a workplace reader still doesn't know the technical terms around the office tools
    ("My work laptop won't connect to the VPN.", "The VPN fails because split tunneling is off.",
     ["split tunneling"]),
    ("Our office wifi is slow.", "The access point in your meeting room is on a crowded channel.", ["access point"]),
    # no sign of work: a "post office", a Microsoft "Office account", working at home
    ("My parcel is at the post office.", "Please connect to the VPN first.", ["VPN"]),
    ("My Office account won't open.", "The guide is on the intranet.", ["intranet"]),
    ("I manage the house for my mother.\n\nJo", "The guide is on the intranet.", ["intranet"]),
    # staff who ask what the word means don't know it
    ("My work laptop can't reach the team drive. Sorry, what is a VPN?", "Please connect to the VPN first.", ["VPN"]),
    (None, "Please connect to the VPN and open the shared mailbox.", ["VPN", "shared mailbox"]),
])
def test_jargon_workplace_terms_follow_the_readers_workplace(nlp, customer, reply, expected):
    assert flagged(check(nlp, reply, customer=customer), "jargon.glossary-term") == expected


@pytest.mark.parametrize(("reply", "expected"), [
    # the reply asks the customer to send the thing: they hold it
    ("Send me your private key and I'll add it to the server for you.", []),
    ("If you could send over the recovery key, I'll unlock the drive.", []),
    ("email me the password for the shared mailbox", []),
    # or says what they did to it
    ("Just email us the recovery codes you saved when you set up 2FA.", []),
    ("You turned on 2FA last week, so the code goes to your phone.", []),
    # but not when the agent sends it, the term only describes what to send, or it is advice
    ("I'll send you the recovery key by post.", ["recovery key"]),
    ("Please send us a screenshot of the DNS settings page.", ["DNS"]),
    ("I need you to send us your MFA code so we can finish.", ["MFA"]),   # it only says which code
    ("Kindly share your OTP so I can proceed.", ["OTP"]),   # one holds the code, not its abbreviation
    ("Once you have set up two-factor authentication, sign in again.", ["two-factor authentication"]),
    ("If you set up 2FA, you'll get a code when you sign in.", ["2FA"]),
    ("Did you set up 2FA?", ["2FA"]),
])
def test_jargon_term_for_a_thing_the_customer_holds_is_not_flagged(nlp, reply, expected):
    assert flagged(check(nlp, reply), "jargon.glossary-term") == expected


@pytest.mark.parametrize(("customer", "reply", "expected"), [
    ("I turned on two-factor last month but lost my phone.", "I've reset your 2FA, so you can set it up again.", []),
    ("Our orders sit in the dead-letter list.", "I've replayed the dead-letter queue.", []),
    ("Is two-factor worth it?", "Yes: 2FA keeps strangers out of your account.", []),
    ("I turned on security checks last month.", "I've reset your 2FA, so you can set it up again.", ["2FA"]),
    ("What does two-factor mean?", "I've reset your 2FA, so you can set it up again.", ["2FA"]),
])
def test_jargon_term_the_customer_named_by_its_modifier_is_not_flagged(nlp, customer, reply, expected):
    assert flagged(check(nlp, reply, customer=customer), "jargon.glossary-term") == expected
