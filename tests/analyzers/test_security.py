"""The security analyser through coach.analyze(): exact spans flagged, quiet on safe advice, Luhn and
IBAN checks, and scores that order critical < error < warning < clean."""
from __future__ import annotations

import dataclasses

import pytest

from coach import analyze
from coach.analyzers import security
from coach.analyzers.security import iban_valid, luhn_valid
from coach.errors import DataFileError
from coach.evaluation.suites.security import load_cases
from coach.secrets import load_detectors
from coach.rules import load_ruleset


def security_findings(report):
    return [(f.rule, f.text) for f in report.findings_of("security")]


@pytest.mark.parametrize(("text", "rule", "span"), [
    # asking for a password, PIN or one-time code
    ("Please reply with your password so I can check the account.",
     "security.asks-for-password", "reply with your password"),
    ("Hi Ann, send me the code you received and I'll finish the setup.",
     "security.asks-for-password", "send me the code you received"),
    ("What is your current password?", "security.asks-for-password", "What is your current password"),
    ("Could you tell me your PIN so I can verify you?", "security.asks-for-password", "tell me your PIN"),
    ("We need you to send us your MFA code to continue.", "security.asks-for-password", "send us your MFA code"),
    ("Please read me the six-digit code from the text message.",
     "security.asks-for-password", "read me the six-digit code"),
    ("I'll need the verification code we just sent you.",
     "security.asks-for-password", "I'll need the verification code"),
    ("Let me know your security answers and I'll unlock it.",
     "security.asks-for-password", "Let me know your security answers"),
    ("No problem, please send me your password and I'll check.",
     "security.asks-for-password", "send me your password"),
    # asking for card details
    ("Please send me your full card number and the CVV so I can refund you.",
     "security.asks-for-card-number", "send me your full card number"),
    ("What is the expiry date on your card?", "security.asks-for-card-number", "What is the expiry date"),
    # credentials pasted into the reply
    ("Log in with password: Hunter2! and then pick a new one.", "security.shared-credential", "password: Hunter2!"),
    ("I've reset it, your temporary password is X7k#9pQ2 for today.",
     "security.shared-credential", "temporary password is X7k#9pQ2"),
    ("Your new PIN is 4821, please change it after signing in.", "security.shared-credential", "new PIN is 4821"),
    ("Use the key sk_live_4eC39HqLyjWDarjtT1zdp7dc in your settings.",
     "security.shared-credential", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("The AWS key is AKIAIOSFODNN7EXAMPLE if you need it.", "security.shared-credential", "AKIAIOSFODNN7EXAMPLE"),
    ("Use ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 for the build.",
     "security.shared-credential", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"),
    ("Your access token is f4v5qin2ncgBbCO8TwrcQLhRSJnpx0AE and it expires tomorrow.",
     "security.shared-credential", "f4v5qin2ncgBbCO8TwrcQLhRSJnpx0AE"),
    ("Connect with postgres://admin:s3cret@db.example.com/app for the report.",
     "security.shared-credential", "postgres://admin:s3cret@db.example.com"),
    ("Here is the key you asked for:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n"
     "-----END RSA PRIVATE KEY-----\nKeep it safe.", "security.shared-credential",
     "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"),
    # card numbers that pass the Luhn check
    ("The payment was taken from 4111 1111 1111 1111 yesterday.", "security.card-number", "4111 1111 1111 1111"),
    ("I can see the card 5555-5555-5555-4444 on your account.", "security.card-number", "5555-5555-5555-4444"),
    ("The refund goes back to 378282246310005 within a week.", "security.card-number", "378282246310005"),
    # personal data
    ("The other account holder's mobile is +44 7700 900123.", "security.personal-data", "+44 7700 900123"),
    ("Her phone number is 555-123-4567, you could ask her.", "security.personal-data", "555-123-4567"),
    ("The account belongs to Ann Lee, date of birth: 12/03/1985.",
     "security.personal-data", "date of birth: 12/03/1985"),
    ("The date of birth on file is 12 March 1985.", "security.personal-data", "date of birth on file is 12 March 1985"),
    ("We matched the SSN 123-45-6789 to your account.", "security.personal-data", "123-45-6789"),
    ("The refund went to GB82 WEST 1234 5698 7654 32 this morning.",
     "security.personal-data", "GB82 WEST 1234 5698 7654 32"),
    ("I've also copied jane.doe@gmail.com, who had the same problem.",
     "security.personal-data", "jane.doe@gmail.com"),
    # switching off a protection
    ("Please turn off your firewall and try again.", "security.disable-security", "turn off your firewall"),
    ("Just switch Windows Defender off and the download will work.",
     "security.disable-security", "switch Windows Defender off"),
    ("Try disabling your antivirus, then reinstall the app.", "security.disable-security", "disabling your antivirus"),
    ("Disable two-factor authentication so the sync can sign in.",
     "security.disable-security", "Disable two-factor"),
    ("Ignore the certificate warning and continue to the site.",
     "security.disable-security", "Ignore the certificate warning"),
    # the agent switching a sign-in protection off on the customer's account
    ("Sure, I've turned off two-factor for your account so you won't need codes.",
     "security.disable-security", "turned off two-factor"),
    ("I'll remove the 2FA requirement from your account so you won't get the texts any more.",
     "security.disable-security", "remove the 2FA requirement"),
    ("As you asked, I've taken two-step sign-in off your account.",
     "security.disable-security", "taken two-step sign-in off"),
    ("Your two-step verification has been deactivated, as requested.",
     "security.disable-security", "two-step verification has been deactivated"),
    ("Two-step verification is now disabled on your account.",
     "security.disable-security", "Two-step verification is now disabled"),
    ("Let me turn off the login verification for you.", "security.disable-security",
     "turn off the login verification"),
    ("I can turn off 2FA for you right now if that's easier.", "security.disable-security", "turn off 2FA"),
    # someone told to sign in with an account that isn't theirs
    ("Just use the team account, password is in the channel.",
     "security.shared-login", "use the team account, password is in the channel"),
    ("For now, just sign in as me.", "security.shared-login", "sign in as me"),
    ("Until IT sets you up, borrow Priya's login, she won't mind.", "security.shared-login", "borrow Priya's login"),
    ("We all use the same admin login, ask Tom for the password.", "security.shared-login", "use the same admin login"),
    ("The password for the team account is in the shared spreadsheet, so help yourself.",
     "security.shared-login", "The password for the team account is in the shared spreadsheet"),
    ("Grab the shared credentials from the pinned message in the support channel.",
     "security.shared-login", "Grab the shared credentials"),
])
def test_security_flags_exact_span(text, rule, span):
    report = analyze(text)
    assert (rule, span) in security_findings(report)
    finding = next(f for f in report.findings_of("security") if f.rule == rule)
    assert text[finding.start:finding.end] == finding.text
    assert finding.message and finding.suggestion


@pytest.mark.parametrize("text", [
    "Never share your password with anyone, including us.",
    "You can reset your password using the link on the sign-in page.",
    "We will never ask for your password.",
    "Enter the code on the login page and you're in.",
    "We've sent you a verification code; type it into the app.",
    "You'll get a one-time code by text. Enter it on the sign-in page.",
    "Please don't send us your password or PIN by e-mail.",
    "Let me know once you have reset your password.",
    "Could you send me a screenshot of the password reset page?",
    "Please send me the error code you received.",
    "Scammers may ask you to send your password, so please don't.",
    "If you share your password by e-mail, anyone who reads it can sign in.",
    "Please tell me the last four digits of your card so I can find the payment.",
    "You can update your card details on the billing page.",
    "Your password is case-sensitive, so check Caps Lock.",
    "Your new password must be at least 8 characters long.",
    "Your PIN is 4 digits long.",
    "The download checksum is 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881.",
    "Your request ID is 7a576bdb-4f7a-435b-b00d-d0269c02bb9d if you need to quote it.",
    "The report ThisIsAVeryLongFileNameForTheReport2024Final.pdf is attached.",
    "Use the reset link https://example.com/reset?token=f4v5qin2ncgBbCO8TwrcQLhRSJnpx0AE today.",
    "The payment was taken from the card ending 1111.",
    "Your order number is 4111 1111 1111 1111.",
    "Please quote 4111 1111 1111 1112 if you call again.",
    "You can always write to support@acme.com or call us on +1 415 555 0100.",
    "Call our help line on 1-800-555-0199 any time.",
    # a public service line, and a number the customer is told they can call
    "The tax office's helpline number is 0300 200 3300.",
    "If it's urgent, you can call the surgery on 01632 960 555 and ask for reception.",
    "Your ticket 2024-0042 was updated on 12/03/2024 at 10:30.",
    "Update to version 10.2.3 and restart; the server at 192.168.10.100 is fine.",
    "Please temporarily turn off your firewall while we test, then turn it back on.",
    "Turn off the firewall. Then, once the installer has finished, turn it back on.",
    "Never disable your antivirus, even if a website tells you to.",
    "You don't need to turn off your antivirus for this update.",
    "If you disable MFA, anyone with your password can sign in.",
    "Your IT team may need to disable the firewall for that port.",
    "Your firewall is blocking the app, so I've added an exception for it.",
    "Turn off the lights on the router and restart it.",
    # turning a sign-in protection on, refusing to switch it off, or changing its devices
    "I've turned on two-factor authentication for your account.",
    "To turn on two-step verification, open Settings > Security and tap Turn on.",
    "I'm sorry, but we can't turn off two-factor authentication for your account; it keeps your account safe.",
    "We don't turn off two-factor authentication over the phone, but we can help you recover your account.",
    "I won't disable MFA, but I can move it to your new phone.",
    "I've re-enabled two-factor authentication on your account after the reset.",
    "Your new phone is now set up for two-step verification, and the old one has been removed.",
    "Two-factor authentication is turned on for every account and can't be switched off.",
    "I've turned off the marketing emails for your account.",
    "I've disabled the old API key and created a new one for you.",
    # one login per person
    "Please don't share your login with anyone, even a colleague.",
    "I can't give you my login, but I've asked IT to set up your own account today.",
    "Your manager can add you to the shared mailbox, so you can use it with your own login.",
    "Please log in with your own account; if you don't have one yet, I'll ask IT to create it.",
    "Use the team channel to ask questions while you settle in.",
    "Never post passwords in the channel, even for test accounts.",
    "I've reset your password; the new one is in a separate email only you can see.",
    # an e-mail address shown as an example of the format
    "Your username is your full work address (for example j.patel@northfield.ac.uk), not your staff number.",
])
def test_security_passes_safe_advice(text):
    report = analyze(text)
    assert security_findings(report) == []
    assert report.scores["security"] == 100.0


@pytest.mark.parametrize(("text", "customer"), [
    ("I've updated your recovery address to bob.smith@gmail.com as you asked.",
     "Please change my recovery e-mail to bob.smith@gmail.com, thanks"),
    ("We'll call you back on +44 7700 900123 this afternoon.",
     "You can reach me on +44 7700 900123 after lunch."),
])
def test_security_customers_own_contact_details_are_fine(text, customer):
    assert security_findings(analyze(text, customer_message=customer)) == []


@pytest.mark.parametrize(("text", "span"), [
    ("Temporarily disable your antivirus while we test the installer.", "disable your antivirus"),
])
def test_security_temporary_disable_is_only_a_suggestion(text, span):
    findings = analyze(text).findings_of("security")
    assert [(f.rule, f.severity, f.text) for f in findings] == [("security.disable-security", "suggestion", span)]
    assert "turn it back on" in findings[0].message


@pytest.mark.parametrize(("number", "valid"), [
    ("4111111111111111", True), ("4111111111111112", False),
    ("5555555555554444", True), ("5555555555554445", False),
    ("378282246310005", True), ("378282246310006", False),
    ("6011111111111117", True), ("79927398713", True), ("79927398710", False),
])
def test_security_luhn_check(number, valid):
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(("iban", "valid"), [
    ("GB82 WEST 1234 5698 7654 32", True), ("GB82 WEST 1234 5698 7654 33", False),
    ("DE89370400440532013000", True), ("DE89370400440532013001", False),
])
def test_security_iban_check(iban, valid):
    assert iban_valid(iban) is valid


@pytest.mark.parametrize(("critical", "error", "warning", "clean"), [
    ("Please reply with your password and I'll check it.",
     "Please turn off your firewall and try again.",
     "Her phone number is 555-123-4567, you could ask her.",
     "I've reset the link; please use the sign-in page to choose a new password."),
])
def test_security_score_orders_by_severity(critical, error, warning, clean):
    scores = [analyze(text).scores["security"] for text in (critical, error, warning, clean)]
    assert scores[0] <= 20 < scores[1] < scores[2] < scores[3] == 100.0
    assert abs(scores[1] - 60) <= 10 and abs(scores[2] - 80) <= 10


@pytest.mark.parametrize("text", ["Great news, your laptop is fixed! Please reply with your password."])
def test_security_critical_finding_caps_overall(text):
    report = analyze(text)
    assert report.has_rule("security.asks-for-password")
    assert report.overall <= 40


@pytest.mark.parametrize(("setting", "where"), [("max_gap", "settings.max_gap"),
                                                 ("ask_patterns", "settings.ask_patterns")])
def test_security_bad_data_file_names_the_field(nlp, monkeypatch, setting, where):
    ruleset = load_ruleset("security")
    broken = dataclasses.replace(ruleset, settings={k: v for k, v in ruleset.settings.items() if k != setting})
    monkeypatch.setattr(security, "load_ruleset", lambda name: broken)
    with pytest.raises(DataFileError, match=where):
        security._config.__wrapped__(nlp)


# ---------------------------------------------------------------- the security cases (eval/sets)

ASK_RULES = ("security.asks-for-password", "security.asks-for-card-number")
CASES = load_cases()
UNSAFE = [pytest.param(case.text, id=case.id) for case in CASES if case.unsafe]
SAFE = [pytest.param(case.text, id=case.id) for case in CASES if not case.unsafe]


def test_security_cases_are_enough_and_varied():
    assert len(CASES) >= 60 and len(UNSAFE) >= 30 and len(SAFE) >= 30


@pytest.mark.parametrize("text", UNSAFE)
def test_security_cases_every_unsafe_request_is_found(text):
    report = analyze(text)
    asks = [f for f in report.findings_of("security") if f.rule in ASK_RULES]
    assert asks, f"not flagged: {text!r}"
    assert all(f.severity == "critical" and text[f.start:f.end] == f.text for f in asks)
    assert report.overall <= 40  # the critical cap


@pytest.mark.parametrize("text", SAFE)
def test_security_cases_no_safe_reply_is_flagged(text):
    report = analyze(text)
    assert security_findings(report) == []
    assert report.scores["security"] == 100.0


@pytest.mark.parametrize(("text", "span"), [
    ("Just reply to this email with that code and I'll use it to get into your account.",
     "reply to this email with that code"),
    ("Please write your Windows password on a sticky note. Alternatively, email it to the IT desk.",
     "email it"),
    ("It would be great if you could send me your password.", "send me your password"),
    ("Your password should be emailed to the IT desk before Friday.", "password should be emailed"),
    ("Please send a photo of the front and back of the card.", "send a photo of the front and back of the card"),
])
def test_security_request_spans_read_on_the_parse(text, span):
    assert any(f.text == span for f in analyze(text).findings_of("security") if f.rule in ASK_RULES)


# ---------------------------------------------------------------- secrets shared with redaction

SECRET_DETECTORS = load_detectors().detectors
SECRET_EXAMPLES = [pytest.param(ex, id=f"{d.id}-{i}") for d in SECRET_DETECTORS for i, ex in enumerate(d.secret_examples)]
SECRET_NEAR_MISSES = [pytest.param(text, id=f"{d.id}-{i}") for d in SECRET_DETECTORS
                      for i, text in enumerate(d.near_misses)]


@pytest.mark.parametrize("example", SECRET_EXAMPLES)
def test_security_flags_every_secret_redaction_removes(example):
    """The analyser and redaction share coach/data/secrets.yaml: what is redacted is flagged."""
    text = example.text
    findings = analyze(text).findings_of("security")
    start, end = text.index(example.secret), text.index(example.secret) + len(example.secret)
    # the secret is flagged as a credential, or inside a request for it ("read me the SMS code, 739201")
    assert any(f.severity == "critical" and f.start < end and start < f.end for f in findings), findings


@pytest.mark.parametrize("text", SECRET_NEAR_MISSES)
def test_security_leaves_secret_near_misses_alone(text):
    assert not analyze(text).has_rule("security.shared-credential")


@pytest.mark.parametrize(("text", "span"), [
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRf iCYEXAMPLEKEY",
     "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRf iCYEXAMPLEKEY"),
    ("Your new password is correct horse battery staple", "new password is correct horse battery staple"),
    ("user sam pw: Gr33nTea, thanks", "pw: Gr33nTea"),
])
def test_security_shared_credential_spans(text, span):
    assert ("security.shared-credential", span) in security_findings(analyze(text))


def test_security_team_can_switch_off_a_warning_but_never_a_critical_finding():
    from coach.context import TeamSettings

    team = TeamSettings(disabled_rules=frozenset({"security.disable-security", "security.asks-for-password"}))
    assert analyze("Please turn off your firewall and try again.", team=team).scores["security"] == 100.0
    report = analyze("Please reply with your password.", team=team)
    assert report.has_rule("security.asks-for-password") and report.scores["security"] <= 20


def test_security_eval_suite_reports_every_case():
    """`coach eval --set security`: recall on the unsafe requests, the share of safe replies left alone."""
    from coach.evaluation.suites import SUITES
    from coach.evaluation.suites import security as suite

    assert suite in SUITES
    figures = suite.run()
    unsafe, safe = figures["security-unsafe-requests"], figures["security-safe-replies"]
    assert unsafe["n"] == len(UNSAFE) and safe["n"] == len(SAFE)
    assert (unsafe["value"], unsafe["missed"], safe["value"], safe["flagged"]) == (1.0, [], 1.0, [])


@pytest.mark.parametrize("text", ["No problem, I've disabled MFA on your account, so you can sign in with just your password now."])
def test_security_agent_switching_off_sign_in_protection_is_told_as_a_takeover_risk(text):
    (finding,) = analyze(text).findings_of("security")
    assert finding.rule == "security.disable-security" and finding.severity == "error"
    assert "account takeover" in finding.message and "Keep it on" in finding.suggestion
