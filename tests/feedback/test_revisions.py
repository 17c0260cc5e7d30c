"""Applying the coach's suggestions gives a reply an agent can send: judged drafts, re-parsed
sentences, one change at a time, no contradictions, nothing invented, no gaming.

The drafts and their judged revisions are in tests/feedback/drafts.yaml (the sample replies' poor
ones are judged there too, under `samples`).
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from coach import analyze
from coach.feedback import apply_suggestion, apply_suggestions, attach, change_ids, questions, sendable, voice
from coach.feedback.plain_phrases import load_plain_phrases
from coach.feedback.templates import load_templates
from coach.nlp import load_nlp
from coach.placeholders import find as find_placeholders
from coach.samples import load_samples

DRAFTS_FILE = Path(__file__).with_name("drafts.yaml")
JUDGED = yaml.safe_load(DRAFTS_FILE.read_text(encoding="utf-8"))
SAMPLES = {f"{case.id}/{reply.id}": (reply.text, case.customer)
           for case in load_samples() for reply in case.replies if reply.quality == "poor"}
# the conversation's channel, where the draft says it (a one-line reply alone can't tell)
CHANNELS = {f"{case.id}/{reply.id}": case.channel for case in load_samples() for reply in case.replies}
# every draft: id -> (reply, customer message, judged revision, verdict)
CASES = {item["id"]: (item["reply"], item.get("customer"), item["revised"], item)
         for item in JUDGED["items"]}
CASES.update({item["id"]: (*SAMPLES[item["id"]], item["revised"], item) for item in JUDGED["samples"]})
IDS = sorted(CASES)

# Two sentences that say opposite things, for the contradiction check.
INVITATION = re.compile(r"\b(?:let me know|get in touch|reply here|contact (?:me|us)|just reply)\b", re.I)
DO_NOT_CONTACT = re.compile(r"\b(?:do not|don't) (?:contact|call|e-?mail|message|reply|get in touch)\b", re.I)
TIME_FRAME = re.compile(r"\bI'll (?:update|call|email|e-mail) you (?:by|within|at)\b", re.I)
NO_TIME = re.compile(r"\b(?:TBD|TBC)\b")


@pytest.fixture(scope="module")
def reports():
    return {case: analyze(reply, customer_message=customer, channel=CHANNELS.get(case))
            for case, (reply, customer, *_ ) in CASES.items()}


@pytest.fixture(scope="module")
def revisions(reports):
    return {case: apply_suggestions(report) for case, report in reports.items()}


def test_revisions_cover_every_poor_sample_and_30_more_drafts():
    assert {i["id"] for i in JUDGED["samples"]} == set(SAMPLES)
    assert len(JUDGED["items"]) >= 30


@pytest.mark.parametrize("case", IDS)
def test_revisions_are_the_judged_text(revisions, case):
    """The judgement (`sendable`, `why`) is about this exact text: a change to the revision needs a
    new judgement in drafts.yaml."""
    _, _, judged, item = CASES[case]
    assert revisions[case].rstrip("\n") == judged.rstrip("\n")
    assert isinstance(item["sendable"], bool) and (item["sendable"] or item.get("why"))


# a placeholder that stands for a whole sentence the agent writes ("[say what you understand about
# their situation] I've reset it.") ends one
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+|(?<=\])[ \t]+(?=[A-Z\[])")
# a placeholder stands for a noun phrase when a sentence is parsed ("Next, I'll [next step].")
_PLACEHOLDER_STAND_IN = "something"


# the number of a step the coach put on a line of its own ("2. Tap Mail."): layout, not words
_LIST_NUMBER = re.compile(r"(?m)^\d+\.[ \t]+")


def _sentences(text: str) -> list[str]:
    """Sentences and lines (a greeting or a name is a line of its own; a step without its number)."""
    return [s.strip() for s in _SENTENCE_BREAK.split(_LIST_NUMBER.sub("", text)) if s.strip()]


def _parse(sentence: str):
    for placeholder in find_placeholders(sentence)[::-1]:
        sentence = sentence[:placeholder.start] + _PLACEHOLDER_STAND_IN + sentence[placeholder.end:]
    return load_nlp()(sentence)


def _salutation_or_name(sentence: str) -> bool:
    """A greeting or sign-off line ("Hi Maria,", "Best regards,"), a name or a lone placeholder."""
    return sentence.endswith(",") or (len(sentence.split()) <= 3 and not sentence.endswith(".")) \
        or [p.text for p in find_placeholders(sentence)] == [sentence]


@pytest.mark.parametrize("case", IDS)
def test_revisions_every_changed_sentence_parses(revisions, case):
    """Every sentence the suggestions wrote or changed, parsed again: built on a verb, no word said
    twice in a row, a capital at the start; a greeting or sign-off line is exempt from the verb."""
    reply = CASES[case][0]
    original = set(_sentences(reply))
    for sentence in _sentences(revisions[case]):
        if sentence in original:
            continue
        doc = _parse(sentence)
        words = [t.lower_ for t in doc if t.is_alpha]
        assert not any(a == b for a, b in zip(words, words[1:])), f"doubled word in {sentence!r}"
        first = sentence.lstrip("\"'(")[:1]
        assert not first.isalpha() or first.isupper() or reply.lstrip()[:1].islower(), sentence
        if not _salutation_or_name(sentence):
            assert any(t.pos_ in ("VERB", "AUX") for t in doc), f"no verb in {sentence!r}"


@pytest.mark.parametrize("case", IDS)
def test_revisions_never_contradict_themselves(revisions, case):
    revised = revisions[case]
    assert not (INVITATION.search(revised) and DO_NOT_CONTACT.search(revised)), revised
    assert not (TIME_FRAME.search(revised) and NO_TIME.search(revised)), revised


_WORD = re.compile(r"[\w'’]+|\[[^\]]*\]")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _inner_words(placeholder: str) -> list[str]:
    """The words of a placeholder ("[plain words for 'heavy packet loss']"), without its quotes."""
    return [w.strip("'’") for w in _words(placeholder[1:-1]) if w.strip("'’")]


def _coach_vocabulary(report) -> set[str]:
    """Every word the coach itself may write: its drafted sentences and replacements (templates.yaml)
    and the analysers' plain alternatives and corrections for this reply."""
    templates = load_templates()
    texts = [templates.signature, templates.reword_placeholder, templates.technical_placeholder, questions.GENERAL,
             templates.step_placeholder,
             templates.answer_again, sendable.CONCESSIVE_OPENER, sendable.RELATIVE_OPENER,
             *voice.customer_values(report).values()]
    for template in templates.rules.values():
        rewrite = template.rewrite
        texts += list(rewrite.draft.variants.values()) if rewrite.draft else []
        texts += [rewrite.text or "", *(replacement for _, replacement in rewrite.phrases + rewrite.sentences)]
        texts += [rewrite.asked_step.text] if rewrite.asked_step else []
        texts += [template.answer_again or ""]
    texts += [entry.plain for entry in load_plain_phrases()]  # whole-phrase plain rewrites
    texts += [f.suggestion or "" for f in report.findings if f.end > f.start]  # plain words, corrections
    words = {w for text in texts for w in _words(text)}
    return words | {w for word in words if word.startswith("[") for w in _inner_words(word)}


@pytest.mark.parametrize("case", IDS)
def test_revisions_invent_nothing(reports, revisions, case):
    """Every word the revision adds is the agent's own, the customer's, or the coach's stock wording
    (which states no facts: times, steps and names are placeholders)."""
    reply, customer, *_ = CASES[case]
    allowed = _coach_vocabulary(reports[case]) | {w.strip("'’") for w in _words(reply) + _words(customer or "")}
    allowed |= set(_words(reply)) | set(_words(customer or ""))
    before, after = _words(reply), _words(_LIST_NUMBER.sub("", revisions[case]))
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag in ("insert", "replace"):
            # a placeholder states nothing, but what it quotes must be the reply's or the customer's
            added = {w for word in after[j1:j2]
                     for w in ([word] if word in allowed or not word.startswith("[") else _inner_words(word))}
            assert added <= allowed, added - allowed


def test_revisions_stock_sentences_claim_no_facts():
    """No drafted sentence promises a time, a day or an action nobody decided: those are placeholders."""
    promise = re.compile(r"\d|\b(?:today|tomorrow|tonight|hours?|minutes?|within|by the end|this (?:week|afternoon|morning))\b", re.I)
    for rule, template in load_templates().rules.items():
        rewrite = template.rewrite
        texts = list(rewrite.draft.variants.values()) if rewrite.draft else []
        texts += [rewrite.text] if rewrite.text else []
        for text in texts:
            assert not promise.search(text), f"{rule}: {text!r}"


@pytest.mark.parametrize("case", IDS)
def test_revisions_each_change_alone_touches_only_its_span(reports, case):
    report = reports[case]
    text = report.text
    for suggestion in report.suggestions:
        for change in suggestion.changes:
            assert apply_suggestion(report, change.id) == text[:change.start] + change.text + text[change.end:]
            assert text[change.start:change.end] in change.before or change.start == change.end


@pytest.mark.parametrize("case", IDS)
def test_revisions_apply_all_takes_exactly_the_listed_changes(reports, revisions, case):
    """Every word the revision adds comes from a listed change; every word it removes lies in one."""
    report = reports[case]
    changes = [c for s in report.suggestions for c in s.changes]
    assert [c.id for c in changes] == change_ids(report)
    added = {w for c in changes for w in _words(c.text)}
    replaced = {w for c in changes for w in _words(report.text[c.start:c.end])}
    before, after = _words(report.text), _words(revisions[case])
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            assert set(after[j1:j2]) <= added, f"{set(after[j1:j2]) - added} added by no listed change"
            assert set(before[i1:i2]) <= replaced, f"{set(before[i1:i2]) - replaced} removed by no listed change"
    if not changes:
        assert revisions[case] == report.text


# severities that make a finding a flaw a lead would fix before sending (hints and suggestions are advice)
FLAW_SEVERITIES = ("warning", "error", "critical")


@pytest.mark.parametrize("case", IDS)
def test_revisions_rewritten_flaws_are_gone_when_checked_again(reports, case):
    """The revised text is analysed again: a passage a change rewrote is not flagged again by its
    rule, and a draft judged sendable has no flaw left of a rule the coach rewrote (the flaw went,
    not the rule's attention)."""
    reply, customer, _, item = CASES[case]
    report = reports[case]
    checked = analyze(apply_suggestions(report), customer_message=customer, channel=CHANNELS.get(case))
    before = Counter((f.rule, f.text.lower()) for f in report.findings)
    # words inside a placeholder ("[plain words for 'heavy packet loss']") are the agent's to replace
    filling = [(p.start, p.end) for p in find_placeholders(checked.text)]
    checked.findings = [f for f in checked.findings if not any(a <= f.start and f.end <= b for a, b in filling)]
    again = Counter((f.rule, f.text.lower()) for f in checked.findings)
    rewritten = {s.rule for s in report.suggestions if any(c.end > c.start for c in s.changes)}
    gone = Counter((f.rule, f.text.lower()) for s in report.suggestions for c in s.changes if c.end > c.start
                   for f in report.findings if f.rule == s.rule and c.start <= f.start and f.end <= c.end)
    for key, count in gone.items():
        assert again[key] <= before[key] - count, f"{key} still flagged"
    if item["sendable"]:
        left = [(f.rule, f.text) for f in checked.findings if f.rule in rewritten and f.severity in FLAW_SEVERITIES]
        assert left == [], left


@pytest.mark.parametrize("case", IDS)
def test_revisions_passages_left_to_the_agent_are_named(reports, case):
    """A flagged passage no change rewrites is named in its suggestion with a request to reword it:
    the coach never leaves a flaw silently."""
    report = reports[case]
    for suggestion in report.suggestions:
        spans = [(c.start, c.end) for s in report.suggestions for c in s.changes if c.end > c.start]
        own = [(c.start, c.end) for c in suggestion.changes if c.end > c.start]
        for finding in report.findings:
            if finding.rule != suggestion.rule or finding.start == finding.end:
                continue
            touched = any(a < finding.end and finding.start < b for a, b in own) \
                or any(a <= finding.start and finding.end <= b for a, b in spans)
            if not touched:
                assert "reword" in suggestion.detail.lower(), (finding.text, suggestion.detail)


def test_revisions_rude_draft_is_never_given_a_guessed_spelling():
    """'shud' -> 'shed' is the spelling check's guess: shown, never written into the reply."""
    reply, customer, *_ = CASES["rude-crm"]
    report = analyze(reply, customer_message=customer)
    shed = re.compile(r"\bshed\b", re.I)
    assert not shed.search(apply_suggestions(report))
    for suggestion in report.suggestions:
        assert not any(shed.search(change.text) for change in suggestion.changes)
        assert not shed.search(suggestion.detail)


def test_revisions_no_definition_pasted_into_a_noun_compound():
    """A listed compound is rewritten as a whole phrase; an unlisted one becomes a placeholder for
    the agent's own plain words, and the suggestion says so."""
    reply, customer, *_ = CASES["outage-bgp"]
    revised = apply_suggestions(analyze(reply, customer_message=customer))
    assert "routing between internet providers" not in revised and "Wi-Fi box" not in revised
    assert "a mistake in the network settings on the main network equipment" in revised
    reply = ("Hi Zara,\n\nYour laptop has a corrupted DHCP lease table, so I've cleared it remotely. Please "
             "restart and sign in again.\n\nThanks,\nOmar")
    report = analyze(reply, customer_message="My laptop won't connect to anything in the office.")
    revised = apply_suggestions(report)
    assert "Your laptop has [plain words for 'a corrupted DHCP lease table'], so I've cleared it" in revised
    assert "automatic address setup" not in revised
    jargon = next(s for s in report.suggestions if s.rule == "jargon.glossary-term")
    assert "Reword 'a corrupted DHCP lease table' as a whole" in jargon.detail


def test_revisions_go_away_sentence_is_replaced_by_the_invitation(make_report):
    """"Please do not contact support" is rewritten, never followed by "just let me know"."""
    text = "Hi Sam,\n\nOur engineers are working on it. Please do not contact support about this issue.\n\nThanks,\nAlex"
    report = attach(make_report(text, [("tone.dismissal", "warning", "Please do not contact support about this issue",
                                        "Leave the door open.")]))
    (change,) = report.suggestions[0].changes
    assert text[change.start:change.end] == "Please do not contact support about this issue."
    assert change.after == "If anything else comes up, just let me know."
    assert change.note == "This rewrites the whole sentence 'Please do not contact support about this issue'."
    revised = apply_suggestion(report, change.id)
    assert "do not contact" not in revised and revised.count("let me know") == 1


def test_revisions_placeholders_block_ready_to_send_until_filled():
    reply, customer, *_ = CASES["outage-bgp"]
    revised = apply_suggestions(analyze(reply, customer_message=customer))
    checked = analyze(revised, customer_message=customer)
    flagged = [f.text for f in checked.findings if f.rule == "draft.placeholder"]
    assert flagged == ["[say what you understand about their situation]", "[next step]", "[your name]"]
    assert not checked.ready_to_send and checked.to_dict()["ready_to_send"] is False
    assert set(checked.scores) == {"jargon", "readability", "tone", "empathy", "grammar", "security"}
    filled = revised.replace("[next step]", "call you at 1pm with the engineers' progress").replace(
        "[say what you understand about their situation]", "I know you need the office back online before your 2pm presentation.")
    named = apply_suggestions(analyze(reply, customer_message=customer), known={"your name": "Sam Lee"})
    assert named.endswith("Best regards,\nSam Lee")
    assert analyze(filled.replace("[your name]", "Sam Lee"), customer_message=customer).ready_to_send


# ------------------------------------------------------------------ no gaming (good/poor pairs)
PAIRS = sorted(SAMPLES)


@pytest.mark.parametrize("case", PAIRS)
def test_revisions_revised_poor_reply_never_outscores_the_good_one_while_a_flaw_remains(revisions, case):
    sample_id = case.split("/")[0]
    sample = next(c for c in load_samples() if c.id == sample_id)
    good = next(r for r in sample.replies if r.quality == "good")
    good_score = analyze(good.text, customer_message=sample.customer, channel=sample.channel).overall
    revised = analyze(revisions[case], customer_message=sample.customer, channel=sample.channel)
    item = CASES[case][3]
    flawed = (not revised.ready_to_send or not item["sendable"]
              or any(f.severity in ("warning", "error", "critical") for f in revised.findings))
    if flawed:
        assert revised.overall <= good_score, f"{revised.overall} > {good_score}"


@pytest.mark.parametrize(("reply", "placeholder", "kept"), [
    # a step in four technical terms: swapped one by one it is still network talk
    ("Hi Ana,\n\nPlease connect the VPN tunnel first, as the SMB share and the DFS namespace aren't reachable off-LAN."
     "\n\nThanks,\nLena", True, None),
    # an explanation in as many terms keeps its plain swaps
    ("Hi Ana,\n\nThere is an upstream BGP issue at the ISP affecting the WAN link and the SIP trunk.\n\nThanks,\nLena",
     False, "internet provider affecting the internet connection and the internet phone line"),
])
def test_revisions_a_step_in_many_technical_terms_is_the_agent_s_to_say(reply, placeholder, kept):
    revised = apply_suggestions(analyze(reply, customer_message="I can't open the shared drive from home."))
    assert ("[say this in plain words as a step they can follow]" in revised) is placeholder
    assert kept is None or kept in revised


def test_revisions_a_sentence_that_is_all_put_down_goes_whole():
    """"Just read the guide." taken out leaves nothing of its sentence: the sentence goes, not a stray '.'."""
    customer = "How do I submit an expense claim in the new app?"
    reply = "Hi Tom,\n\nThe claim form is in the app. Just read the guide.\n\nThanks,\nChloe"
    revised = apply_suggestions(analyze(reply, customer_message=customer))
    assert "read the guide" not in revised and "app. ." not in revised and "The claim form is in the app." in revised
    assert not analyze(revised, customer_message=customer).has_rule("tone.put-down")
