"""The tone analyser: how the reply treats the customer. Manner problems (blame, defensiveness,
brush-offs, dismissal, put-downs, profanity, text-speak, shouting, condescension) lower the score;
the fitted politeness model raises it for courtesy, but courtesy inside a hostile sentence, stacked
stock phrases and bare greetings earn little."""
from __future__ import annotations

import pytest

from coach.analyzers.tone import analyzer, model_logit, tone_settings, tone_weights
from coach.context import AnalysisContext, Turn
from coach.textprep import prepare

POLITE = ("Hi Sam,\n\nThank you for sending the screenshot, and sorry the printer let you down again. "
          "Could you please check that the blue light is on? If it is, I'll connect remotely at 2pm "
          "and set it up again.\n\nLet me know if 2pm doesn't suit you.\n\nBest regards,\nAlex")
NEUTRAL = ("Hi Sam,\n\nThe printer needs its driver reinstalled. I'll connect remotely at 2pm and "
           "set it up again.\n\nAlex")
BLAMING = ("Hi Sam,\n\nYou should have checked the cable before contacting us. The printer is offline "
           "because someone unplugged it. As I already said last time, this is user error.\n\nAlex")
CONDESCENDING = ("Hi,\n\nObviously the old system is being retired. The new app is easier, any user can "
                 "figure it out. Just read the guide.\n\nChloe")
SHOUTING = "Hi,\n\nYOU SIGNED THE CONTRACT FOR 50 SEATS!!! Read your agreement.\n\nHana"
CURT = "Restart the router. Clear the cache. Try again."
RUDE_CRM = ("hey, the new crm is mandatory from monday, thats not up for discussion. u shud of done the "
            "training last week like everyone else. its not hard, just RTFM.")
MID_CHAT = (Turn("agent", "Hi Sam, how can I help?"), Turn("customer", "My screen is black."))
FIRST_CHAT = (Turn("customer", "Hello, my laptop won't start."),)


def run(nlp, text, channel="email", history=()):
    return analyzer.analyze(AnalysisContext(text, nlp(prepare(text)), channel=channel, history=history))


def found(result, rule):
    return [f.text for f in result.findings if f.rule == rule]


def evidence(result, rule):
    return [e.text for e in result.evidence if e.rule == rule]


@pytest.mark.parametrize(("text", "rule", "expected"), [
    ("Thank you for sending the screenshot.", "tone.gratitude", ["Thank you"]),
    ("Thanks for your patience, I appreciate it.", "tone.gratitude", ["Thanks", "I appreciate"]),
    ("Please restart the router.", "tone.please", ["Please"]),
    ("Could you send me a screenshot?", "tone.hedge", ["Could you"]),
    ("I'm sorry the printer let you down.", "tone.apology", ["sorry"]),
    ("Hi Sam,\n\nYour laptop is ready.", "tone.greeting", ["Hi"]),
    ("Good morning Sam, your laptop is ready.", "tone.greeting", ["Good morning"]),
    ("Your laptop is ready. Say hello to the team.", "tone.greeting", []),
    # a greeting is not warmth by itself
    ("hey, your laptop is ready.", "tone.greeting", []),
    ("Dear customer,\n\nYour laptop is ready.", "tone.greeting", []),
    ("Your laptop is ready.\n\nBest regards,\nAlex", "tone.closing", ["Best regards"]),
    ("Your laptop is ready.\n\nThanks, Alex", "tone.closing", ["Thanks, Alex"]),
    # courtesy in a hostile reply is not evidence of anything
    ("Please do not contact support about this issue.", "tone.please", []),
    ("Thanks, but that's not my department.", "tone.gratitude", []),
])
def test_tone_politeness_strategies_are_evidence_only_in_a_civil_reply(nlp, text, rule, expected):
    assert evidence(run(nlp, text), rule) == expected


@pytest.mark.parametrize(("text", "rule", "expected"), [
    # blame, including the parse's modal perfect with the customer as subject
    ("You should have checked the cable first.", "tone.blame", ["You should have"]),
    ("You shouldn't have deleted the folder.", "tone.blame", ["You shouldn't have"]),
    ("u shud of done the training.", "tone.blame", ["u shud of"]),
    ("You didn't follow the steps I sent.", "tone.blame", ["You didn't follow"]),
    ("This is user error.", "tone.blame", ["user error"]),
    ("You should have the new laptop by Friday.", "tone.blame", []),
    ("If you didn't get the e-mail, check your junk folder.", "tone.blame", []),
    ("You should have received an e-mail from us.", "tone.blame", []),
    # defensiveness
    ("Per my last email, the licence expired.", "tone.defensive", ["Per my last email"]),
    ("As noted on both of your previous tickets, the licence expired.", "tone.defensive",
     ["As noted on both of your previous tickets"]),
    ("I did mention this in my last reply.", "tone.defensive", ["I did mention"]),
    ("We did tell you about the outage.", "tone.defensive", ["We did tell"]),
    ("I did get your file, thanks!", "tone.defensive", []),
    ("As we discussed on the phone, I renewed it.", "tone.defensive", []),
    # brush-offs
    ("That's not my department.", "tone.brush-off", ["not my department"]),
    ("There is nothing else we can do.", "tone.brush-off", ["nothing else we can do"]),
    ("Do the training like everyone else.", "tone.brush-off", ["like everyone else"]),
    ("The CRM is mandatory, thats not up for discussion.", "tone.brush-off", ["thats not up for discussion"]),
    ("Everyone on your team has access now.", "tone.brush-off", []),
    # dismissal: a negated contact verb addressed to the customer
    ("Please do not contact support about this issue.", "tone.dismissal",
     ["Please do not contact support about this issue"]),
    ("Hello,\n\nDon't email us again about this.", "tone.dismissal", ["Don't email us again about this"]),
    ("Stop calling the helpdesk.", "tone.dismissal", ["Stop calling the helpdesk"]),
    ("Do not open another ticket for this.", "tone.dismissal", ["Do not open another ticket for this"]),
    ("Please do not reply to this e-mail; it is not monitored.", "tone.dismissal", []),
    ("Don't hesitate to contact us if it happens again.", "tone.dismissal", []),
    ("You don't need to contact us again: it renews itself.", "tone.dismissal", []),
    ("Please do not share your password with anyone.", "tone.dismissal", []),
    # rhetorical put-downs and sarcasm
    ("Did you even try restarting it?", "tone.put-down", ["Did you even try"]),
    ("Have you even read the guide?", "tone.put-down", ["Have you even read"]),
    ("its not hard, just read it.", "tone.put-down", ["its not hard"]),
    ("It isn't difficult.", "tone.put-down", ["It isn't difficult"]),
    ("Don't worry, it's not hard to set up.", "tone.put-down", []),
    ("Even after restarting, the error may show once.", "tone.put-down", []),
    ("Believe it or not, the printer needs paper.", "tone.put-down", ["Believe it or not"]),
    # profanity and text-speak
    ("Just RTFM.", "tone.profanity", ["RTFM"]),
    ("WTF did you do to the laptop?", "tone.profanity", ["WTF"]),
    ("u can attach it here pls", "tone.text-speak", ["u", "pls"]),
    ("thats done, dont worry", "tone.text-speak", ["thats", "dont"]),
    ("That's done, don't worry.", "tone.text-speak", []),
    ("Choose option (u) in the list.", "tone.text-speak", []),
    # condescension and shouting
    ("Obviously the printer is offline.", "tone.condescension", ["Obviously"]),
    # "Just read the guide." only sends the customer off to read: a put-down as a whole
    ("Just read the guide.", "tone.condescension", []),
    ("Just read the guide.", "tone.put-down", ["Just read the guide"]),
    ("Just google it.", "tone.condescension", ["Just google"]),
    # "just"/"simply" on a bare claim that it is easy
    ("The new app is simply easier.", "tone.condescension", ["simply easier"]),
    ("It's just better, trust me.", "tone.condescension", ["just better"]),
    ("The new app is simply easier to search than the old one.", "tone.condescension", []),
    ("I just find the new layout easier.", "tone.condescension", []),
    ("Just search for the studio and its timetable shows.", "tone.condescension", []),
    ("Please do NOT restart the server.", "tone.shouting", ["NOT"]),
    ("DO NOT TOUCH the cable.", "tone.shouting", ["DO NOT TOUCH"]),
    ("That will not work!!", "tone.shouting", ["!!"]),
    ("Great news!! Your refund went through.", "tone.shouting", []),
    ('Click "END CHAT" at the bottom right.', "tone.shouting", []),
    ("Click END CHAT at the bottom right.", "tone.shouting", []),
    ("Please connect to the VPN and check the DNS settings.", "tone.shouting", []),
    # one capitalised name or thing is an acronym or product, not emphasis
    ("Please install the new VIA app from the store.", "tone.shouting", []),
    ("You are NOT an administrator on that site.", "tone.shouting", ["NOT"]),
    ("It WILL work once you sign in again.", "tone.shouting", ["WILL"]),
    # one capitalised word stressing a thing in normal text is emphasis, not shouting; words that
    # raise the voice at the reader shout even alone
    ("You signed the contract for 50 SEATS.", "tone.shouting", []),
    ("The laptop FAN is very loud when it starts.", "tone.shouting", []),
    ("Please check your statement BEFORE contacting us again.", "tone.shouting", ["BEFORE"]),
    ("There is NOTHING we can do.", "tone.shouting", ["NOTHING"]),
    ("YOU SIGNED THE CONTRACT FOR 50 SEATS!!! Read your agreement.", "tone.shouting",
     ["YOU SIGNED THE CONTRACT FOR", "SEATS", "!!!"]),
    # as-clauses that point back at the customer not listening
    ("Yes, as I explained a moment ago, the discount applies.", "tone.defensive", ["as I explained a moment ago"]),
    ("As I said earlier, the office reopens on Monday.", "tone.defensive", ["As I said earlier"]),
    ("As I mentioned to your manager earlier, the laptop is ready.", "tone.defensive", []),
    ("As I mentioned, the update is free.", "tone.defensive", []),
    ("As explained earlier in this email, the fee is waived.", "tone.defensive", []),
    ("Your account is LOCKED. I have ALREADY sent the link twice.", "tone.shouting", ["ALREADY"]),
    # the customer's choice as a past condition, and "I told you so"
    ("Had you chosen express delivery, it would have arrived by now.", "tone.blame", ["Had you chosen"]),
    ("If you had used express, it would have cost more, so standard was right.", "tone.blame", []),
    ("It would have been helpful if you had mentioned the medication.", "tone.blame",
     ["It would have been helpful if you had"]),
    ("This is exactly why we recommend not sharing admin rights.", "tone.blame",
     ["This is exactly why we recommend not"]),
    ("That's exactly why we recommend the annual plan: it's cheaper.", "tone.blame", []),
    ("If you hadn't reported it, we would never have found it.", "tone.blame", []),
    ("If you had been charged twice, we would have refunded it.", "tone.blame", []),
    ("Had we known, we would have sent a courier.", "tone.blame", []),
    ("That's exactly why we built the new backup feature.", "tone.blame", []),
    # insisting it was answered, or that the answer was there to read
    ("I did respond to you on Monday.", "tone.defensive", ["I did respond"]),
    ("I can only repeat what I said: it needs approval.", "tone.defensive", ["I can only repeat"]),
    ("As our admin guide makes fairly clear, Editors cannot create projects.", "tone.defensive",
     ["As our admin guide makes fairly clear"]),
    ("As the guide makes clear, the update is free.", "tone.defensive", []),
    ("I'll repeat the test tonight.", "tone.defensive", []),
    # rhetorical "did it not occur to you", and a bare claim that it's easy
    ("Did it not occur to you to check the pop-up blocker?", "tone.put-down", ["Did it not occur to you"]),
    ("It didn't occur to me either.", "tone.put-down", []),
    ("It's really straightforward. Go to Account.", "tone.condescension", ["It's really straightforward"]),
    ("Honestly, this is super easy!", "tone.condescension", ["this is super easy"]),
    ("It's really straightforward to add one in Account.", "tone.condescension", []),
])
def test_tone_manner_problem_spans(nlp, text, rule, expected):
    assert found(run(nlp, text), rule) == expected


@pytest.mark.parametrize(("text", "expected"), [
    (CURT, ["Restart the router.", "Clear the cache.", "Try again."]),
    ("Please restart the router. Then clear the cache. After that, could you try again?", []),
    ("Restart the router.", []),
    ("To export the report:\n1. Click Save.\n2. Choose PDF.\n3. Click Export.", []),
    ("Here's how:\nOpen Settings.\nClick Security.\nChoose Reset.", []),
    ("- Open Settings.\n- Click Security.\n- Choose Reset.", []),
])
def test_tone_curt_command_is_a_hint_never_fired_on_how_to_steps(nlp, text, expected):
    result = run(nlp, text, "chat")
    assert found(result, "tone.curt-command") == expected
    assert all(f.severity == "hint" for f in result.findings if f.rule == "tone.curt-command")


def test_tone_hints_do_not_change_the_score(nlp):
    with_hint = run(nlp, "We can't unlock accounts without a ticket.", "chat", MID_CHAT)
    assert found(with_hint, "tone.negative-framing") == ["We can't"]
    assert with_hint.findings[0].severity == "hint"
    base = run(nlp, "We unlock accounts with a ticket.", "chat", MID_CHAT)
    assert abs(with_hint.score - base.score) < 30  # only the model's reading differs, no penalty


@pytest.mark.parametrize(("text", "channel", "history", "greeting", "closing"), [
    ("Your laptop is ready. You can collect it from the front desk.", "email", (), True, True),
    ("Hi Sam,\n\nYour laptop is ready. You can collect it today.\n\nAlex", "email", (), False, True),
    ("Hi Sam,\n\nYour laptop is ready.\n\nKind regards,\nAlex", "email", (), False, False),
    ("Dear customer,\n\nYour laptop is ready. You can collect it today.\n\nKind regards,\nAlex", "email", (), False, False),
    # a chat: a sign-off is never expected; a greeting only on the agent's known first turn, and a
    # warm opener greets well enough there
    ("Your ticket was assigned to the network team. They will call you tomorrow.", "chat", FIRST_CHAT, True, False),
    ("Thanks for the details. Your laptop is ready to collect.", "chat", FIRST_CHAT, False, False),
    ("Sure, I can help with that. Which model is it?", "chat", FIRST_CHAT, False, False),
    # a lone chat reply may be from the middle of a chat: no greeting demanded
    ("Your ticket was assigned to the network team. They will call you tomorrow.", "chat", (), False, False),
    ("Your laptop is ready. You can collect it from the front desk.", "chat", MID_CHAT, False, False),
    ("Done, your password is reset.", "email", (), False, False),  # one sentence needs neither
    # a reply that continues a conversation, history given or not, needs no greeting
    ("Following up on Monday's message: the charger has arrived. You can collect it today.\n\nAli", "email", (), False, True),
    ("Update: the team replaced the switch. Your VPN should stay connected now.\n\nMina", "email", (), False, True),
    ("Update your app from the store. Then sign in again.\n\nMina", "email", (), True, True),
    ("I'm still waiting on the network team. They promised an update by 3pm.", "chat",
     (Turn("customer", "What's the status?"),), False, False),
    ("We are working on it now. It should be done in about an hour.", "chat",
     (Turn("customer", "how long will this take"),), False, False),
])
def test_tone_missing_greeting_and_closing_where_a_lead_expects_them(nlp, text, channel, history, greeting, closing):
    result = run(nlp, text, channel, history)
    greetings = [(f.start, f.end) for f in result.findings if f.rule == "tone.missing-greeting"]
    closings = [(f.start, f.end) for f in result.findings if f.rule == "tone.missing-closing"]
    assert greetings == ([(0, 0)] if greeting else [])
    assert closings == ([(len(text), len(text))] if closing else [])


@pytest.mark.parametrize("rude", [BLAMING, CONDESCENDING, SHOUTING, RUDE_CRM])
def test_tone_polite_reply_scores_high_and_rude_ones_low(nlp, rude):
    assert run(nlp, POLITE).score > 85
    assert run(nlp, rude).score < 50


def test_tone_the_issue_example_scores_low_and_earns_no_evidence(nlp):
    result = run(nlp, RUDE_CRM)
    assert result.score < 20
    assert result.evidence == ()
    assert {f.rule for f in result.findings} >= {"tone.brush-off", "tone.blame", "tone.text-speak",
                                                 "tone.put-down", "tone.profanity"}


@pytest.mark.parametrize("ordered", [[POLITE, NEUTRAL, BLAMING], [POLITE, NEUTRAL, CURT]])
def test_tone_score_orders_polite_neutral_rude(nlp, ordered):
    scores = [run(nlp, text).score for text in ordered]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


@pytest.mark.parametrize(("hostile", "sweetened"), [
    ("Hi Jo,\n\nPlease do not contact support about this issue.\n\nSupport",
     "Hi Jo,\n\nThank you so much for writing! We really appreciate you. Please do not contact support "
     "about this issue. Sorry! Have a wonderful day!\n\nKind regards,\nSupport"),
    ("Hi Jo,\n\nYou should have saved the file.\n\nIT",
     "Hi Jo,\n\nThanks a lot! I'm so sorry. You should have saved the file. Thanks again, I really "
     "appreciate your patience!\n\nWarm regards,\nIT"),
])
def test_tone_rudeness_is_not_cancelled_by_courtesies_elsewhere(nlp, hostile, sweetened):
    assert run(nlp, hostile).score < 50
    assert run(nlp, sweetened).score < 50


def test_tone_stock_phrases_count_once_and_courtesy_markers_saturate(nlp):
    once = "Hi Jo,\n\nThanks for your message. Your laptop is ready.\n\nBest regards,\nAlex"
    twice = ("Hi Jo,\n\nThanks for your message. Thanks for your message. Your laptop is ready.\n\n"
             "Best regards,\nAlex")
    assert run(nlp, twice).score == pytest.approx(run(nlp, once).score, abs=2)
    settings, weights = tone_settings(), tone_weights()
    every_marker = {name: 1.0 for name in settings.markers}
    stacked = model_logit(every_marker, weights, settings) - weights.intercept
    assert stacked < settings.marker_cap < sum(max(0.0, weights.weights[name]) for name in settings.markers)


@pytest.mark.parametrize("text", [POLITE, BLAMING, SHOUTING, CURT, RUDE_CRM,
                                  "<p>Hi Jo,</p><p>You should have restarted it!!</p>"])
def test_tone_findings_and_evidence_quote_the_text_at_their_offsets(nlp, text):
    result = run(nlp, text)
    for item in (*result.findings, *result.evidence):
        assert text[item.start:item.end] == item.text


@pytest.mark.parametrize(("text", "counterfactual", "indicative"), [
    ("Could you send me a screenshot?", 1.0, 0.0),
    ("Could you possibly send me a screenshot?", 1.0, 0.0),
    ("Would you mind restarting the router?", 1.0, 0.0),
    ("Can you please send me the log?", 0.0, 1.0),
    ("Will you be at your desk at 2pm?", 0.0, 1.0),
    # a negated modal is rhetorical, not a request
    ("Why couldn't you do it yourself?", 0.0, 0.0),
    ("Can't you read the guide?", 0.0, 0.0),
    # the modal is not put to the customer
    ("I could send you a new link.", 0.0, 0.0),
    ("You can reset it under Settings.", 0.0, 0.0),
])
def test_tone_modal_requests_are_read_from_the_parse(nlp, text, counterfactual, indicative):
    context = AnalysisContext(text, nlp(prepare(text)), channel="chat", history=MID_CHAT)
    features = analyzer.assess(context).features
    assert (features["counterfactual"], features["indicative"]) == (counterfactual, indicative)


def test_tone_text_speak_costs_points_but_leaves_courtesy_beside_it(nlp):
    """Careless spelling is not hostility: the "please" of "im stuck, could you help please?" still
    counts (unlike a "please" in a dismissal), though the reply earns no praise for it."""
    careless = run(nlp, "im stuck on the last step, could you help please?", "chat", MID_CHAT)
    assert found(careless, "tone.text-speak") == ["im"]
    assert careless.evidence == ()
    curt = run(nlp, "im stuck on the last step, help.", "chat", MID_CHAT)
    assert careless.score > curt.score + 10


@pytest.mark.parametrize(("text", "rule", "expected"), [
    ("As I said in my last email, the licence expired in May.", "tone.defensive", ["As I said in my last email"]),
    ("The fee applies, as was clearly explained in the contract.", "tone.defensive",
     ["as was clearly explained in the contract"]),
    ("As I mentioned, the update is free.", "tone.defensive", []),
    ("As you said in your last email, the printer is upstairs.", "tone.defensive", []),
    ("You can just read the guide.", "tone.condescension", ["just read"]),
    ("Simply restart it, as the guide says.", "tone.condescension", ["Simply restart it, as the guide says"]),
    ("Simply click Save and you're done.", "tone.condescension", []),
    ("I just read your message and I'm on it.", "tone.condescension", []),
    ("Read your agreement.", "tone.put-down", ["Read your agreement"]),
    ("Please read the attached guide; it walks you through each step.", "tone.put-down", []),
    ("Read the guide I attached for screenshots of each step.", "tone.put-down", []),
])
def test_tone_manner_found_in_the_parse(nlp, text, rule, expected):
    assert found(run(nlp, text), rule) == expected


@pytest.mark.parametrize(("text", "history", "expected"), [
    ("Investigating.", (), ["Investigating"]),
    ("Noted.", (), ["Noted"]),
    ("Done.", (), []),
    ("Thanks!", (), []),
    ("Investigating now, I'll update you by 3pm.", (), []),
    # a quick holding message between fuller turns of a live chat is normal
    ("Checking.", MID_CHAT, []),
])
def test_tone_a_one_word_reply_is_curt(nlp, text, history, expected):
    result = run(nlp, text, "chat" if history else "email", history)
    assert found(result, "tone.curt-fragment") == expected


# ------------------------------------------------------------ what the customer said matters
API_ERRORS = ("Since 10:05 UTC our calls to the /v1/invoices endpoint return HTTP 503 for about 20% of requests. "
              "The TLS handshake completes, then the request times out. Request IDs attached.")
TRIED = "My laptop freezes every time I open Teams. I've already restarted it three times today."
OVERCHARGED = "Why are we paying for 40 licences when only 25 people use the app? This is ridiculous."


@pytest.mark.parametrize(("reply", "customer", "rule", "expected"), [
    # a stock first step asked as if the message had not been read: to a technical customer, in a
    # reply that names nothing they reported, or a step the customer says they already took
    ("Hi,\n\nHave you tried clearing your cache and rebooting your PC? That usually fixes it.\n\nThanks",
     API_ERRORS, "tone.brush-off", ["Have you tried clearing your cache and rebooting your PC?"]),
    ("Hi,\n\n[answer 'Is there a known incident']\n\nHave you tried clearing your cache?\n\nThanks",
     API_ERRORS, "tone.brush-off", ["Have you tried clearing your cache?"]),
    # the greeting line names the customer, not what they reported
    ("Hi Invoices Team,\n\nHave you tried clearing your cache?\n\nThanks",
     API_ERRORS, "tone.brush-off", ["Have you tried clearing your cache?"]),
    ("Hi Sam,\n\nHave you restarted the laptop?\n\nThanks,\nAlex", TRIED, "tone.brush-off",
     ["Have you restarted the laptop?"]),
    ("Hi,\n\nThe 503s on /v1/invoices come from one overloaded node. Have you tried retrying with backoff?\n\nThanks",
     API_ERRORS, "tone.brush-off", []),
    ("Hi,\n\nThe invoices endpoint had a faulty node; it is fixed. Have you tried clearing your cache since?\n\nThanks",
     API_ERRORS, "tone.brush-off", []),
    ("Hi Jo,\n\nHave you tried restarting the router?\n\nThanks,\nAlex", "My wifi keeps dropping in the kitchen.",
     "tone.brush-off", []),
    # the customer's own commitment as the whole answer to a complaint, with nothing acknowledged
    ("Hi,\n\nYou signed up for 40 seats. What I can do is check your renewal date.\n\nAlex", OVERCHARGED,
     "tone.blame", ["You signed up for 40 seats"]),
    ("Hi,\n\nYou ordered 40 licences in March.\n\nAlex", OVERCHARGED, "tone.blame",
     ["You ordered 40 licences in March"]),
    ("Hi,\n\nI understand why that's frustrating. You ordered 40 licences in March, and I can lower it at "
     "renewal.\n\nAlex", OVERCHARGED, "tone.blame", []),
    ("Hi,\n\nYou ordered 40 licences in March.\n\nAlex", "How many licences do we have?", "tone.blame", []),
    ("Hi,\n\nYou've agreed to the new terms.\n\nAlex", OVERCHARGED, "tone.blame", ["You've agreed to the new terms"]),
    # a bare status of work under way, inside a longer reply too
    ("Hi,\n\nThe provider has a fault on the line into your building. Investigating.\n\nAlex", None,
     "tone.curt-fragment", ["Investigating"]),
    ("Hi,\n\nI'm sorry about the outage. Escalating.\n\nAlex", None, "tone.curt-fragment", ["Escalating"]),
    ("Hi,\n\nFixed! The cable behind the printer had come loose.\n\nAlex", None, "tone.curt-fragment", []),
])
def test_tone_reads_the_reply_against_the_customer_message(reply, customer, rule, expected):
    from coach import analyze
    report = analyze(reply, customer_message=customer, channel="email")
    assert [f.text for f in report.findings if f.rule == rule] == expected


@pytest.mark.parametrize(("reply", "customer", "expected"), [
    # the customer only asks whether to do it, or hasn't yet: not something they did
    ("Hi,\n\nHave you tried restarting it?\n\nThanks", "Should I restart my laptop?", []),
    ("Hi,\n\nHave you tried restarting it?\n\nThanks", "I haven't restarted my laptop yet.", []),
    # a variation on what they did is a new step
    ("Hi,\n\nHave you tried restarting it in safe mode?\n\nThanks", "I restarted my laptop twice.", []),
    ("Hi,\n\nHave you tried restarting it?\n\nThanks", "I restarted my laptop twice.", ["Have you tried restarting it?"]),
])
def test_tone_stock_step_only_when_the_customer_did_it(reply, customer, expected):
    from coach import analyze
    report = analyze(reply, customer_message=customer, channel="email")
    assert [f.text for f in report.findings if f.rule == "tone.brush-off"] == expected


@pytest.mark.parametrize(("reply", "suggestion"), [
    # a status of work under way: the same news as a sentence, which the coach offers as the rewrite
    ("Hi,\n\nThe provider has a fault on the line into your building. Investigating.\n\nAlex", "We're investigating"),
    ("Hi,\n\nI'm sorry about the outage. Escalating.\n\nAlex", "We're escalating"),
    # a done-word on its own: only advice, the agent says what was done
    ("Escalated.", None),
])
def test_tone_curt_fragment_under_way_suggests_a_sentence(reply, suggestion):
    from coach import analyze
    (finding,) = [f for f in analyze(reply, channel="email").findings if f.rule == "tone.curt-fragment"]
    if suggestion is None:
        assert finding.suggestion.startswith("Say it in a sentence")
    else:
        assert finding.suggestion == suggestion


# ------------------------------------------------------------ asking the customer for a detail
HOW_TO = "How do I change my password?"
NOT_PRINTING = "My printer stopped printing this morning."


def chat_tone(nlp, reply, customer):
    customer_doc = None if customer is None else nlp(prepare(customer))
    context = AnalysisContext(reply, nlp(prepare(reply)), customer_message=customer, customer_doc=customer_doc,
                              channel="chat")
    return analyzer.analyze(context).score


@pytest.mark.parametrize(("reply", "customer"), [
    # a question for a detail of the customer's setup, in a reply to their request: neutral
    ("Which app are you using, the desktop one or the phone app?", HOW_TO),
    ("Are you on Windows or Mac?", HOW_TO),
    ("Which printer model do you have?", NOT_PRINTING),
    ("What error message do you see, so I can narrow it down?", NOT_PRINTING),
    ("When did this start happening?", NOT_PRINTING),
    ("How long has it been doing this?", NOT_PRINTING),
    ("Ok. Which browser is it? And does it happen in private mode too?", NOT_PRINTING),
    ("Are you using the desktop app?", HOW_TO),
])
def test_tone_a_clarifying_question_reads_as_neutral(nlp, reply, customer):
    neutral = tone_settings().neutral_score
    assert chat_tone(nlp, reply, customer) >= neutral - 1
    # the same question to nobody in particular keeps the fitted model's reading (fitted on editors'
    # requests, where a direct question challenges): it is the customer's request that makes it help
    assert chat_tone(nlp, reply, None) <= chat_tone(nlp, reply, customer)


@pytest.mark.parametrize("reply", [
    "Did you even try restarting it?",
    "Why would you do that?",
    "Why did you delete the folder?",
    "What did you do?",
    "What is your problem?",
    "Are you serious?",
    "Did you see my email?",
    "Do you know how to read?",
    "Which part of my message didn't you understand?",
    "How many times do I have to tell you?",
])
def test_tone_a_rude_question_is_no_clarifying_question(nlp, reply):
    # the customer's request changes nothing: the model's reading (or the manner rules) stand
    assert chat_tone(nlp, reply, NOT_PRINTING) == chat_tone(nlp, reply, None)


@pytest.mark.parametrize("reply", ["Is it working now?", "Do you have any more questions?",
                                   "Can you give me a minute so I can check your account?"])
def test_tone_a_clarifying_question_keeps_its_warmth(nlp, reply):
    # read as neutral only where that helps: a question the model already reads as warm keeps it
    assert chat_tone(nlp, reply, NOT_PRINTING) == chat_tone(nlp, reply, None) > tone_settings().neutral_score


def test_tone_a_clarifying_question_leaves_the_rest_of_the_reply_to_the_model(nlp):
    thanked = chat_tone(nlp, "Thanks for the details! Which printer model do you have?", NOT_PRINTING)
    assert thanked > chat_tone(nlp, "Which printer model do you have?", NOT_PRINTING) + 5
    # a rude sentence beside it still costs what it costs
    rude = chat_tone(nlp, "Which printer model do you have? Did you even try restarting it?", NOT_PRINTING)
    assert rude < tone_settings().neutral_score - 20
