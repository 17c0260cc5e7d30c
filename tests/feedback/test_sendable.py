"""coach/feedback/sendable.py: which rewrites leave a sentence the agent could send."""
from __future__ import annotations

import pytest

from coach.feedback import apply_suggestions, attach, sendable


@pytest.mark.parametrize(("word", "correction", "safe"), [
    ("recieve", "receive", True),      # two letters swapped
    ("teh", "the", True),
    ("happend", "happened", True),     # a letter missing
    ("untill", "until", True),         # a letter doubled
    ("dont", "don't", True),           # the apostrophe missing
    ("Setings", "Settings", True),
    ("shud", "shed", False),           # a changed letter: a guess at what was meant
    ("u", "you", False),
    ("alot", "a lot", True),           # a space missing
    ("there", "their", False),
])
def test_sendable_only_keyboard_slips_are_safe_typos(word, correction, safe):
    assert sendable.safe_typo(word, correction) is safe


@pytest.mark.parametrize(("sentence", "term", "phrase"), [
    ("The issue was caused by a BGP misconfiguration on the core router.", "BGP", "BGP misconfiguration"),
    ("The issue was caused by a BGP misconfiguration on the core router.", "router", "core router"),
    ("Please flush your DNS cache.", "DNS", "DNS cache"),
    ("I've restarted the router in the meeting room.", "router", None),
    ("It drops across the WAN every hour.", "WAN", None),
])
def test_sendable_finds_the_compound_around_a_term(sentence, term, phrase):
    start = sentence.index(term)
    found = sendable.compound_around(sentence, start, start + len(term))
    assert (None if found is None else sentence[found[0]:found[1]]) == phrase


@pytest.mark.parametrize(("before", "term", "replacement", "reads"), [
    ("I've restarted the router in the meeting room.", "router", "internet box", True),
    ("Please utilize the portal to track it.", "utilize", "use", True),
    ("It drops across the WAN every hour.", "WAN", "connection between your sites and the internet", True),
    # the replacement no longer does the word's job: a noun object replaced by a clause
    ("Please restart the router now.", "router", "when it restarts", False),
    # a compound preposition for a preposition, however the parser reads its first word
    ("The team will clean the drive subsequent to the approval being obtained.", "subsequent to", "after", True),
    ("We'll refund it in accordance with the policy.", "in accordance with", "under", True),
])
def test_sendable_reparses_a_swap(before, term, replacement, reads):
    start = before.index(term)
    after = before[:start] + replacement + before[start + len(term):]
    assert sendable.still_reads(before, start, start + len(term), after, start + len(replacement), swap=True) is reads


def test_sendable_deletion_never_takes_a_subject_away():
    before = "The new app is simply easier, any user can figure it out."
    start = before.index("any user can ")
    end = start + len("any user can ")
    after = before[:start] + before[end:]
    assert not sendable.still_reads(before, start, end, after, start, swap=False)


@pytest.mark.parametrize(("sentence", "phrase", "wanted"), [
    ("Sure, I'll disable second sign-in check on your account.", "second sign-in check", True),
    ("The dashboard needs one sign-in for all your work apps.", "one sign-in for all your work apps", False),
    ("Please restart the secure connection to the office network.", "secure connection to the office network", False),
])
def test_sendable_bare_singular_noun_wants_an_article(sentence, phrase, wanted):
    start = sentence.index(phrase)
    assert sendable.wants_article(sentence, start, start + len(phrase)) is wanted


def test_sendable_time_frame_replaces_eta_tbd_and_says_so(make_report):
    text = "Hi Sam,\n\nOur engineers are working on it. ETA for resolution is TBD.\n\nBest regards,\nAlex"
    report = attach(make_report(text, [("empathy.no-time-frame", "warning", "", None, "end")],
                                evidence=[("tone.greeting", "Hi"), ("tone.closing", "Best regards")]))
    (change,) = report.suggestions[0].changes
    assert text[change.start:change.end] == "ETA for resolution is TBD."
    assert change.text == "I'll update you by [time of next update]."
    assert "This replaces 'ETA for resolution is TBD.', which says the opposite." in report.suggestions[0].detail
    assert apply_suggestions(report) == text.replace("ETA for resolution is TBD.", change.text)


def test_sendable_honest_no_fix_time_is_not_a_contradiction(make_report):
    text = "Hi Sam,\n\nWe don't have a fix time from the provider yet.\n\nBest regards,\nAlex"
    report = attach(make_report(text, [("empathy.no-time-frame", "warning", "", None, "end")],
                                evidence=[("tone.greeting", "Hi"), ("tone.closing", "Best regards")]))
    (change,) = report.suggestions[0].changes
    assert change.start == change.end and change.note is None


@pytest.mark.parametrize(("sentence", "expected"), [
    # two clauses, each with its own subject: split before the "and", "but"
    ("I restarted the server and checked the logs, but the error came back after an hour and the team is looking at it now.",
     "I restarted the server and checked the logs. But the error came back after an hour. The team is looking at it now."),
    ("Restores run from the most recent snapshot, and files changed after the snapshot will not be restored.",
     "Restores run from the most recent snapshot. Files changed after the snapshot will not be restored."),
    # a step told with "then"
    ("You need to go to the app store and then find and download the Outlook application.",
     "You need to go to the app store. Then find and download the Outlook application."),
    # one subject for both verbs: "Checked the logs." would have none
    ("I restarted the laptop in the meeting room and checked the logs on the server.", None),
    # an "and" between two nouns, even when the parser hangs a clause on it
    ("After all that is done your emails and calendar should start to appear in the app.", None),
    # too short to leave two sentences that read alone
    ("I checked it and it works.", None),
])
def test_sendable_long_sentence_splits_only_between_clauses(sentence, expected):
    splits = sendable.clause_splits(sentence)
    revised = sentence
    for start, end, replacement in reversed(splits):
        revised = revised[:start] + replacement + revised[end:]
    assert revised == (expected or sentence)


@pytest.mark.parametrize(("sentence", "verb", "shared"), [
    ("Restores are processed by the backup team and are performed from the snapshot.", "are processed", True),
    ("Your password was reset by the service desk and you can sign in now.", "was reset", False),
])
def test_sendable_passive_verb_sharing_its_subject(sentence, verb, shared):
    start = sentence.index(verb)
    assert sendable.shares_its_subject(sentence, start, start + len(verb)) is shared


@pytest.mark.parametrize(("sentence", "steps"), [
    ("Open the app, click Settings, and then restart the laptop.",
     ["Open the app.", "Click Settings.", "Restart the laptop."]),
    ("Restart the router, wait two minutes, then reconnect each device to the Wi-Fi.",
     ["Restart the router.", "Wait two minutes.", "Reconnect each device to the Wi-Fi."]),
    # a piece that is no order ("then Accounts") stays with the step before it
    ("Please open Settings on your phone, tap Mail, then Accounts, and remove your work account.",
     ["Please open Settings on your phone.", "Tap Mail, then Accounts.", "Remove your work account."]),
    # two steps read fine as a sentence; a list of things to check is not a list of steps
    ("Disable your antivirus and then open the accounting program.", None),
    ("Check the cable, the power and the network light.", None),
    # an aside inside a step has no clean cut
    ("Sign in, open Teams and, if it asks, allow the microphone.", None),
    # clauses that aren't a sequence stay one sentence (they are split, not listed)
    ("I have locked your account on the stolen laptop and wiped it remotely, and a replacement laptop will be "
     "ready at the service desk on Thursday morning, but you will need to bring your ID to collect it.", None),
])
def test_sendable_numbered_steps_only_for_a_sequence_of_steps(sentence, steps):
    assert sendable.numbered_steps(sentence) == steps


def test_sendable_a_sequence_of_clauses_becomes_steps_without_the_thens():
    sentence = ("to set it up you need to first go to the app store and then find and download the Outlook app and "
                "after it has been installed you should open it and then you will need to type in your work email "
                "address and then press continue.")
    steps = sendable.numbered_steps(sentence)
    assert steps is not None and len(steps) >= 3
    assert steps[1] == "Find and download the Outlook app."
    assert not any(step.lower().startswith("then ") for step in steps)


@pytest.mark.parametrize(("sentence", "split"), [
    # "although" with a clause of its own: the clause can stand alone, as "But ..."
    ("Your emails should start to appear in the app although it may take some time depending on how many you have.",
     (" although", ". But")),
    # too short a clause to stand alone: no split
    ("I restarted it, although the fault may come back.", None),
])
def test_sendable_a_concessive_clause_may_become_its_own_sentence(sentence, split):
    found = [(sentence[start:end], replacement) for start, end, replacement in sendable.clause_splits(sentence)]
    assert found == ([split] if split else [])


@pytest.mark.parametrize(("sentence", "split"), [
    # a "which" clause about what came before, to the end of the sentence: "This ..."
    ("I have increased the storage limit on your account in the admin settings, which means the app will "
     "start copying your files again within the next hour or so.", (", which", ". This")),
    ("Thanks for letting us know about the problem with your laptop which has been slowing you down for weeks "
     "and which is understandably getting in the way of your daily work across all of your applications.",
     (" and which", ". This")),
    # a "which" clause in the middle of the sentence: no split there
    ("The router, which is old, failed last night.", None),
])
def test_sendable_a_closing_which_clause_may_become_its_own_sentence(sentence, split):
    found = [(sentence[start:end], replacement) for start, end, replacement in sendable.clause_splits(sentence)]
    assert found == ([split] if split else [])


def test_sendable_an_and_inside_a_subordinate_clause_is_no_place_to_split():
    """"once it is installed and you have restarted it": both halves belong to "once"; split there,
    the second would state as done what the customer still has to do."""
    sentence = ("The update should stop the crashes on your laptop once it is installed and you have restarted "
                "it at least once.")
    assert sendable.clause_splits(sentence) == []
