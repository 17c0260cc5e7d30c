"""Security: asking for secrets, pasting credentials, card numbers or personal data, telling the
customer to switch off a protection (or switching off their two-step sign-in for them), and
signing someone in with an account that isn't theirs.

Rules, vocabularies, patterns and wording: coach/data/security.yaml. Sources: NCSC and CISA
phishing guidance (genuine organisations never ask for passwords or one-time codes; help-desk social
engineering that gets MFA removed), PCI DSS requirement 4 (no card numbers by end-user messaging)
and 8.2.2 (no shared or generic accounts), GDPR data minimisation, and the key formats documented
by Stripe, AWS, GitHub, Slack and Google.

Score: 100 minus a penalty per finding by severity (settings.penalties); one critical finding
leaves at most 15, and caps `overall` through coach/scoring.py.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from coach.context import AnalysisContext
from coach.datafiles import field, string_list
from coach.errors import DataFileError
from coach.findings import AnalyzerResult, Finding
from coach.nlp import load_nlp
from coach.rules import KeyedMatcher, Rule, RuleSet, add_patterns, compiled_rules, load_ruleset, to_finding
from coach.scoring import penalty_score
from coach.secrets import find_secrets

ASKS_FOR_PASSWORD = "security.asks-for-password"
ASKS_FOR_CARD = "security.asks-for-card-number"
SHARED_CREDENTIAL = "security.shared-credential"
CARD_NUMBER = "security.card-number"
PERSONAL_DATA = "security.personal-data"
DISABLE_SECURITY = "security.disable-security"
SHARED_LOGIN = "security.shared-login"
ASK_RULES = (ASKS_FOR_PASSWORD, ASKS_FOR_CARD)



# settings kept with their rule in security.yaml, checked on load
_EXTRA_FIELDS: dict[str, dict[str, type | tuple[type, ...]]] = {
    CARD_NUMBER: {"card_first_digits": list},
    PERSONAL_DATA: {"messages": dict, "role_mailboxes": list, "example_domains": list, "reserved_tlds": list,
                    "phone_digits": list},
    DISABLE_SECURITY: {"temporary_message": str, "done_message": str, "done_suggestion": str},
}
_PERSONAL_DATA_KINDS = ("email", "phone", "birth-date", "national-id", "iban")


def _compile(raw: str, path: Any, where: str) -> re.Pattern[str]:
    try:
        return re.compile(raw)
    except re.error as exc:
        raise DataFileError(path, where, f"invalid regex ({exc})") from None


@dataclass(frozen=True)
class _Config:
    """security.yaml, validated and compiled once."""

    ruleset: RuleSet
    matcher: KeyedMatcher
    penalties: dict[str, float]
    ask_verbs: frozenset[str]
    destination_verbs: dict[str, dict[str, frozenset[str]]]
    channels: frozenset[str]
    object_deps: frozenset[str]
    pronouns: frozenset[str]
    image_words: frozenset[str]
    picture_words: frozenset[str]
    carrier_verbs: frozenset[str]
    polite_modals: frozenset[str]
    recipients: frozenset[str]
    staff: frozenset[str]
    nobody: frozenset[str]
    safe_places: frozenset[str]
    bare_code_context: re.Pattern[str]
    dev_context: re.Pattern[str]
    customer_subjects: frozenset[str]
    agent_subjects: frozenset[str]
    negations: frozenset[str]
    stop_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    imperative_openers: frozenset[str]
    negation_window: int
    max_gap: int
    disable_verbs: frozenset[str]
    phrasal_verbs: frozenset[str]
    particles: frozenset[str]
    remove_verbs: frozenset[str]
    login_verbs: frozenset[str]
    as_someone_verbs: frozenset[str]
    secret_words: frozenset[str]
    shared_places: frozenset[str]
    regex: dict[str, re.Pattern[str]]
    extra: dict[str, Any]

    def rule(self, rule_id: str) -> Rule:
        return self.ruleset.get(rule_id)


_DESTINATION_KEYS = ("datives", "particles", "preps", "channel_preps")


def _destination_verbs(settings: dict[str, Any], path: Any) -> dict[str, dict[str, frozenset[str]]]:
    raw = field(settings, "destination_verbs", dict, path, "settings")
    verbs = {}
    for verb, spec in raw.items():
        where = f"settings.destination_verbs.{verb}"
        if not isinstance(spec, dict) or not spec or set(spec) - set(_DESTINATION_KEYS):
            raise DataFileError(path, where, f"must map some of {', '.join(_DESTINATION_KEYS)} to word lists")
        verbs[verb.lower()] = {key: frozenset(w.lower() for w in string_list(spec, key, path, where, []))
                               for key in _DESTINATION_KEYS}
    return verbs


@functools.cache
def _config(nlp: Language) -> _Config:
    ruleset = load_ruleset("security")
    path, settings = ruleset.path, ruleset.settings
    matcher = KeyedMatcher(nlp.vocab)
    add_patterns(matcher, "ask", field(settings, "ask_patterns", list, path, "settings"), path,
                 "settings.ask_patterns")
    for rule_id in ASK_RULES:
        rule = ruleset.get(rule_id)
        add_patterns(matcher, f"{rule_id}:secret", rule.extra.get("secrets"), path, f"{rule_id}.secrets")
        add_patterns(matcher, f"{rule_id}:not", rule.extra.get("not_secrets"), path, f"{rule_id}.not_secrets")
        if rule.extra.get("images") is not None:
            add_patterns(matcher, f"{rule_id}:image", rule.extra["images"], path, f"{rule_id}.images")
    disable = ruleset.get(DISABLE_SECURITY)
    add_patterns(matcher, "target", disable.extra.get("targets"), path, f"{DISABLE_SECURITY}.targets")
    add_patterns(matcher, "sign-in-protection", disable.extra.get("sign_in_protections"), path,
                 f"{DISABLE_SECURITY}.sign_in_protections")
    shared = ruleset.get(SHARED_LOGIN)
    add_patterns(matcher, "shared-account", shared.extra.get("accounts"), path, f"{SHARED_LOGIN}.accounts")
    add_patterns(matcher, "team-account", shared.extra.get("team_accounts"), path, f"{SHARED_LOGIN}.team_accounts")
    add_patterns(matcher, "as-someone", shared.extra.get("as_someone"), path, f"{SHARED_LOGIN}.as_someone")
    regex_keys = {CARD_NUMBER: ["card_regex", "not_after"],
                  PERSONAL_DATA: ["email_regex", "example_cue", "phone_regex", "phone_shape", "phone_label", "phone_ours",
                                  "phone_destination", "toll_free", "birth_date_regex", "national_id_regex", "iban_regex"],
                  DISABLE_SECURITY: ["safeguard", "temporary"]}
    regex = {key: _compile(field(ruleset.get(rule_id).extra, key, str, path, rule_id), path, f"{rule_id}.{key}")
             for rule_id, keys in regex_keys.items() for key in keys}
    for rule_id, fields in _EXTRA_FIELDS.items():
        for key, kind in fields.items():
            field(ruleset.get(rule_id).extra, key, kind, path, rule_id)
    messages = ruleset.get(PERSONAL_DATA).extra["messages"]
    for kind in _PERSONAL_DATA_KINDS:
        field(messages, kind, str, path, f"{PERSONAL_DATA}.messages")
    penalties = field(settings, "penalties", dict, path, "settings")
    for severity, points in penalties.items():
        if not isinstance(points, (int, float)):
            raise DataFileError(path, f"settings.penalties.{severity}", "must be a number")

    def words(mapping: dict[str, Any], key: str, where: str) -> frozenset[str]:
        return frozenset(w.lower() for w in string_list(mapping, key, path, where))

    return _Config(
        ruleset=ruleset, matcher=matcher, penalties=penalties,
        ask_verbs=words(settings, "ask_verbs", "settings"),
        destination_verbs=_destination_verbs(settings, path),
        channels=words(settings, "channels", "settings"),
        object_deps=words(settings, "object_deps", "settings"),
        pronouns=words(settings, "pronouns", "settings"),
        image_words=words(settings, "image_words", "settings"),
        picture_words=words(settings, "picture_words", "settings"),
        carrier_verbs=words(settings, "carrier_verbs", "settings"),
        polite_modals=words(settings, "polite_modals", "settings"),
        recipients=words(settings, "recipients", "settings"),
        staff=words(settings, "staff", "settings"),
        nobody=words(settings, "nobody", "settings"),
        safe_places=words(settings, "safe_places", "settings"),
        bare_code_context=_compile(field(settings, "bare_code_context", str, path, "settings"), path,
                                   "settings.bare_code_context"),
        dev_context=_compile(field(settings, "dev_context", str, path, "settings"), path, "settings.dev_context"),
        customer_subjects=words(settings, "customer_subjects", "settings"),
        agent_subjects=words(settings, "agent_subjects", "settings"),
        negations=words(settings, "negations", "settings"),
        stop_verbs=words(settings, "stop_verbs", "settings"),
        conditional_marks=words(settings, "conditional_marks", "settings"),
        imperative_openers=words(settings, "imperative_openers", "settings"),
        negation_window=field(settings, "negation_window", int, path, "settings"),
        max_gap=field(settings, "max_gap", int, path, "settings"),
        disable_verbs=words(disable.extra, "disable_verbs", DISABLE_SECURITY),
        phrasal_verbs=words(disable.extra, "phrasal_verbs", DISABLE_SECURITY),
        particles=words(disable.extra, "particles", DISABLE_SECURITY),
        remove_verbs=words(disable.extra, "remove_verbs", DISABLE_SECURITY),
        login_verbs=words(shared.extra, "login_verbs", SHARED_LOGIN),
        as_someone_verbs=words(shared.extra, "as_someone_verbs", SHARED_LOGIN),
        secret_words=words(shared.extra, "secret_words", SHARED_LOGIN),
        shared_places=words(shared.extra, "shared_places", SHARED_LOGIN),
        regex=regex,
        extra={rule.id: rule.extra for rule in ruleset.rules},
    )


class SecurityAnalyzer:
    name = "security"
    version = 1

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        nlp = load_nlp()
        config = _config(nlp)
        doc = context.doc
        # one Matcher run serves both the ask and the disable-security checks
        matches = config.matcher(doc)
        findings = _asks(context, config, matches)
        findings += _disable_security(context, config, matches)
        findings += _protection_switched_off(context, config, matches)
        findings += _shared_logins(context, config, matches)
        findings += [to_finding(m, context.text) for m in compiled_rules("security", nlp).match(context.doc)]
        findings += _credentials(context, config)
        cards = _card_numbers(context, config)
        findings += cards
        findings += _personal_data(context, config, cards)
        kept = _without_overlaps(findings)
        scored, _ = context.split_hints(kept)  # a team's switched-off rules and hints never count
        return AnalyzerResult(penalty_score(scored, config.penalties), tuple(kept),
                              metrics={"security_issues": len(kept)})


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """One finding per passage: the most severe (then the longest) wins where two overlap."""
    rank = {"critical": 0, "error": 1, "warning": 2, "suggestion": 3}
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (rank[f.severity], f.start - f.end, f.start)):
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end))


# ---------------------------------------------------------------- requests addressed to the customer

def _negated(tokens: list[Token], config: _Config) -> bool:
    return any(token.lower_ in config.negations or token.dep_ == "neg" for token in tokens)


def _vocative(token: Token) -> bool:
    """'Ann' in "Hi Ann, send me..." is who the reply speaks to, though parsed as the subject."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return token.pos_ == "PROPN" and following is not None and following.text == ","


def _asked_of_customer(verb: Token, config: _Config) -> bool:
    """Is `verb` something the customer is asked to do? An imperative ("send me..."), a request
    to "you", or a clause under the agent's "I need you to...". Not when someone else does it
    ("we'll send you a code", "scammers may ask you to..."), nor under "if"."""
    token, own = verb, True
    while True:
        if any(c.lower_ == "please" and c.dep_ == "intj" for c in token.children):
            return True  # "..., so please write it on the job sheet"
        if any(c.dep_ == "mark" and c.lower_ in config.conditional_marks for c in token.children):
            # "it would help if you could send me ...", "if you send me the code, I'll ..." still ask
            return (any(c.dep_ == "aux" and c.lower_ in config.polite_modals for c in token.children)
                    or any(c.dep_ in ("dative", "dobj") and c.lower_ in config.recipients for c in token.children))
        if any(c.dep_ == "neg" for c in token.children):
            return False
        subjects = [c.lower_ for c in token.children
                    if c.dep_ in ("nsubj", "nsubjpass", "csubj") and not _vocative(c)]
        if subjects:
            if all(s in config.customer_subjects for s in subjects):
                return not _describes(token)
            return not own and all(s in config.agent_subjects for s in subjects)
        if token.dep_ == "conj" and token.head is not token:
            token = token.head  # "check it and send me ...": the subject is shared
        elif token.dep_ == "xcomp" and token.head.lemma_.lower() in config.stop_verbs:
            return False  # "stop sharing it", "avoid sending your PIN"
        elif token.dep_ in ("xcomp", "ccomp", "acomp", "advcl") and token.head is not token:
            token, own = token.head, False  # "are you able to share", "it would help if you sent"
        else:
            return True


def _describes(verb: Token) -> bool:
    """"You are sharing your password with people outside your household": what the customer is
    doing, a statement (progressive, not a question), not a request."""
    return (verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)
            and not verb.sent.text.rstrip().endswith("?"))


def _opens_imperative(token: Token, config: _Config) -> bool:
    """Does `token` start a command: first in its sentence or after a comma that ends a leading
    clause ("Once it arrives, forward it to me"), or after "please", "just", ...?"""
    previous = list(token.doc[token.sent.start:token.i])
    commas = [i for i, t in enumerate(previous) if t.text in (",", ";", ":")]
    if commas:
        previous = previous[commas[-1] + 1:]
    return all(t.lower_ in config.imperative_openers for t in previous if not t.is_punct and not t.is_space)


def _is_request(token: Token, verbs: frozenset[str], config: _Config) -> bool:
    """Is `token` one of `verbs`, asked of the customer? A sentence-initial cue the tagger got
    wrong ("Disable" as an adjective) counts as an imperative."""
    if token.lemma_.lower() not in verbs and token.lower_ not in verbs:
        return False
    if token.pos_ == "VERB":
        return _asked_of_customer(token, config)
    return _opens_imperative(token, config)


def _ask_cues(doc: Doc, config: _Config, matches: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Token spans that ask for something without a handover verb the parser could read: an ask
    pattern ("let me know", "I'll need", "what is"), or a handover word the tagger took for a noun
    or adjective at the start of a command ("Text me the code")."""
    # (verbs that need a destination, "enter" or "write", can't be read without the parse)
    cues = [(t.i, t.i + 1) for t in doc
            if t.pos_ != "VERB" and (t.lower_ in config.ask_verbs or t.lemma_.lower() in config.ask_verbs)
            and t.lower_ not in config.destination_verbs and _is_request(t, config.ask_verbs, config)]
    cues += [(start, end) for key, start, end in matches if key == "ask"]
    return sorted(cues)


# ---------------------------------------------------------------- handover verbs, read on the parse

def _handed_over(verb: Token, config: _Config) -> list[Token]:
    """The tokens of what `verb` hands over: its objects ("send [me] [your password]"), the
    objects of its prepositions ("reply [with that code]", "write it [on a sticky note]") and,
    when passive, its subject ("the code should be sent to us"), with their conjuncts, but not
    clauses of their own ("so I can reset your password", "the team that resets passwords"), unless
    the clause says what a message carries ("the e-mail including the code", "the text that
    contains your PIN")."""
    tokens = []
    stack = [c for c in verb.children if c.dep_ in config.object_deps]
    while stack:
        token = stack.pop()
        tokens.append(token)
        picture = token.lemma_.lower() in config.picture_words
        stack.extend(c for c in token.children
                     if picture and c.dep_ == "acl" or _carries(c, config)
                     or c.dep_ not in ("relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp") and c.pos_ not in ("VERB", "AUX"))
    return tokens


def _carries(token: Token, config: _Config) -> bool:
    """"including" in "the e-mail including the code", "contains" in "the text that contains it"."""
    return token.dep_ in ("acl", "relcl", "prep") and token.lemma_.lower() in config.carrier_verbs


def _has_destination(verb: Token, config: _Config) -> bool:
    """Verbs such as read, write, leave or type hand something over only with a recipient or a
    destination: "read me the code", "write it on a sticky note", "type it into this chat"."""
    spec = config.destination_verbs.get(verb.lemma_.lower())
    if spec is None:
        return True
    if "*" in spec["datives"] and sum(c.dep_ == "dobj" for c in verb.children) > 1:
        return True  # "hand the courier your PIN", the recipient parsed as a second object
    for child in verb.children:
        if child.dep_ in ("dative", "iobj") and ("*" in spec["datives"] or child.lower_ in spec["datives"]):
            return True
        if child.dep_ in ("prt", "advmod") and child.lower_ in spec["particles"]:
            return True  # "read out the code", "read the code back"
        if child.dep_ == "prep":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if child.lower_ in spec["preps"] and objects:
                return True
            if child.lower_ in spec["channel_preps"] and any(_mentions_channel(o, config) for o in objects):
                return True
        if child.dep_ == "advmod" and child.lower_ == "here" and spec["channel_preps"]:
            return True
    return False


def _mentions_channel(token: Token, config: _Config) -> bool:
    """"the chat", "the notes field of the ticket": our conversation with the customer (but not
    "the page I'm sending, not into this chat": a place ruled out)."""
    stack = [token]
    while stack:
        current = stack.pop()
        if current.lemma_.lower() in config.channels:
            return True
        stack.extend(c for c in current.children if not any(n.dep_ == "neg" for n in c.children))
    return False


def _to_others(verb: Token, config: _Config, secret_tokens: set[int]) -> bool:
    """"Share the guest Wi-Fi password with your visitors", "give it to no one": handed to the
    customer's own people, or to nobody, not to us."""
    # "ring us with your PIN": the object is who receives, so "with" brings what is handed over
    has_object = any(c.dep_ in ("dobj", "obj") and c.lower_ not in config.recipients for c in verb.children)
    for prep in (c for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ in ("with", "to")):
        if prep.lower_ == "with" and not has_object:
            continue  # "reply with your password": what follows "with" is the thing handed over
        for target in (c for c in prep.children if c.dep_ == "pobj" and c.i not in secret_tokens):
            if target.lower_ in config.nobody or any(
                    c.lower_ in ("your", "their", "no") and c.dep_ in ("poss", "det") for c in target.children):
                return True
    return False


def _to_safe_place(verb: Token, handed: list[Token], config: _Config) -> bool:
    """"Provide your card details on the secure payment page": typed into the right place, not
    handed to us (the place may hang off the verb or off its object)."""
    preps = [c for c in verb.children if c.dep_ == "prep"] + [t for t in handed if t.dep_ == "prep"]
    return any(prep.lower_ in ("on", "in", "into", "via", "through", "using", "at")
               and any(o.lemma_.lower() in config.safe_places and not _mentions_channel(o, config)
                       for o in prep.children if o.dep_ == "pobj")
               for prep in preps)


def _antecedent(doc: Doc, pronoun: Token, secrets: list[tuple[str, int, int]]) -> tuple[str, int, int] | None:
    """The secret "it" or "them" most likely stands for: the last one mentioned before it in the
    same or the previous sentence ("write your password on a note ... email it to the IT desk")."""
    sentence = pronoun.sent
    earliest = doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
    before = [s for s in secrets if earliest <= s[1] and s[2] <= pronoun.i and not s[0].endswith(":bare")]
    return before[-1] if before else None


def _verb_asks(doc: Doc, config: _Config, secrets: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """(rule, first token, end token) for every handover verb asked of the customer whose object is
    a secret, wherever the words sit in the sentence."""
    asks = []
    about_software = config.dev_context.search(doc.text) is not None  # Doc.text is rebuilt on each access
    secret_tokens = {i for _, start, end in secrets for i in range(start, end)}
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        if not (_is_request(verb, config.ask_verbs, config) or _passive_request(verb, config)):
            continue
        if not _has_destination(verb, config) or _negated_before(doc, verb, config):
            continue
        handed = _handed_over(verb, config)
        if _to_safe_place(verb, handed, config) or _to_others(verb, config, secret_tokens):
            continue
        indices = {t.i for t in handed}
        lemma = verb.lemma_.lower()
        found = None
        # a bare "code" handed to the agent ("just give me the code") or to someone on our side
        # ("give the code to the technician") is a secret unless the reply is about software
        # ("send me the code you're running")
        bare_ok = (_to_agent(verb, config) or _to_staff(verb, config)) and not about_software
        # only the secrets inside this verb's object can be what it hands over
        low, high = min(indices, default=0), max(indices, default=-1)
        for rule_id, start, end in secrets[bisect.bisect_left(secrets, (low,), key=lambda m: (m[1],)):]:
            if start > high:
                break
            if rule_id.endswith(":bare") and not bare_ok:
                continue
            if any(t.lower_ in config.negations for t in doc[max(low, start - 2):start]):
                continue  # "tell me your username (not your password)"
            if doc[start:end].root.i in indices or (rule_id == ASKS_FOR_CARD + ":image" and start in indices):
                found = (rule_id.split(":")[0], start, end)
                break
        if found is None and lemma in config.image_words:
            # "photograph your card", "scan the card": a picture of a card is its number
            card = next((t for t in handed if t.lemma_.lower() == "card"), None)
            if card is not None:
                found = (ASKS_FOR_CARD, card.i, card.i + 1)
        if found is not None and lemma == "confirm" and found[1] > 0 and doc[found[1] - 1].lower_ == "new":
            continue  # "enter and confirm your new password": typing it twice on the reset page
        if found is None:
            pronoun = next((t for t in handed if t.lower_ in config.pronouns
                            and t.dep_ in ("dobj", "nsubjpass", "pobj", "dative")), None)
            if pronoun is not None:
                antecedent = _antecedent(doc, pronoun, secrets)
                if antecedent is not None:
                    found = (antecedent[0].split(":")[0], pronoun.i, pronoun.i + 1)
        if found is None:
            continue
        rule_id, start, end = found
        asks.append((rule_id, min(verb.i, start), max(verb.i + 1, end)))
    return asks


def _passive_request(verb: Token, config: _Config) -> bool:
    """"The code should be sent to us", "your PIN will need to be given to the engineer"."""
    if verb.lemma_.lower() not in config.ask_verbs or not any(c.dep_ == "nsubjpass" for c in verb.children):
        return False
    auxiliaries = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    head = verb.head if verb.dep_ == "xcomp" else verb
    auxiliaries += [c.lower_ for c in head.children if c.dep_ == "aux"] + [head.lemma_.lower()]
    return any(word in config.polite_modals or word in ("should", "must", "need", "needs", "have")
               for word in auxiliaries)


def _negated_before(doc: Doc, verb: Token, config: _Config) -> bool:
    """A negation in the verb's own clause just before it: "never share", "you don't need to send"."""
    sentence = verb.sent
    before = list(doc[max(sentence.start, verb.i - config.negation_window):verb.i])
    clause = [t for t in before if t.is_punct]
    if clause:
        before = before[before.index(clause[-1]) + 1:]
    return _negated(before, config)


def _secret_mentions(doc: Doc, config: _Config, matches: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Every secret the reply mentions, as (rule:kind, start token, end token), in text order: the
    rules' `secrets` patterns minus their `not_secrets` ("password reset", "error code"), and a bare
    "code" ("reply with that code") when the reply is about signing in or an account."""
    found = []
    for rule_id in ASK_RULES:
        excluded = [(s, e) for key, s, e in matches if key == f"{rule_id}:not"]
        found += [(f"{rule_id}:secret", s, e) for key, s, e in matches if key == f"{rule_id}:secret"
                  and not any(s < xe and xs < e for xs, xe in excluded)]
        found += [(f"{rule_id}:image", s, e) for key, s, e in matches if key == f"{rule_id}:image"]
    taken = {i for _, s, e in found for i in range(s, e)}
    excluded_all = {i for key, s, e in matches if key.endswith(":not") for i in range(s, e)}
    kind = "secret" if config.bare_code_context.search(doc.text) else "bare"
    for token in doc:
        if (token.lower_ in ("code", "codes") and token.i not in taken and token.i not in excluded_all
                and not any(c.dep_ in ("compound", "amod", "nmod") for c in token.children)
                and not _code_for_something_else(token, config)
                and not (token.i + 1 < len(doc) and doc[token.i + 1].pos_ in ("NOUN", "PROPN"))):
            found.append((f"{ASKS_FOR_PASSWORD}:{kind}", token.i, token.i + 1))
    return sorted(found, key=lambda f: (f[1], f[2]))


def _code_for_something_else(code: Token, config: _Config) -> bool:
    """"the code for the gate", "the code to the key safe": a code that opens something other than
    an account ("the code for your account" still counts)."""
    preps = [c for c in code.children if c.dep_ == "prep" and c.lower_ in ("for", "to", "of")]
    following = code.doc[code.i + 1] if code.i + 1 < len(code.doc) else None
    if following is not None and following.lower_ in ("for", "of") and following.dep_ in ("prep", "dative"):
        preps.append(following)  # "give the engineer the code for the gate", "for" read as the verb's
    return any(not config.bare_code_context.search(_subtree_text(prep)) for prep in preps)


def _subtree_text(token: Token) -> str:
    return token.doc[token.left_edge.i:token.right_edge.i + 1].text


def _to_agent(verb: Token, config: _Config) -> bool:
    """Is the verb's recipient the agent: "give me", "read it back to me", "send it to us", "ring me
    back with it" (a person as the object: the thing handed over follows "with")?"""
    for child in verb.children:
        if child.dep_ in ("dative", "iobj", "dobj") and child.lower_ in config.recipients:
            return True
        for prep in [child] + [c for c in child.children if c.dep_ == "prep"]:
            if prep.dep_ in ("prep", "dative") and prep.lower_ == "to" and any(
                    o.lower_ in config.recipients for o in prep.children if o.dep_ == "pobj"):
                return True
    return False


def _to_staff(verb: Token, config: _Config) -> bool:
    """Is the recipient someone on our side or a visitor: "give the code to the technician", "read
    it out to our agent", "tell the engineer the code" (the customer's own people, "your manager",
    and "anyone" are left to _to_others)?"""
    def staff(token: Token) -> bool:
        return token.lemma_.lower() in config.staff or any(
            c.dep_ == "poss" and c.lower_ == "our" for c in token.children)
    for child in verb.children:
        if child.dep_ in ("dative", "iobj") and child.pos_ in ("NOUN", "PROPN") and staff(child):
            return True
        if child.dep_ in ("prep", "dative") and child.lower_ == "to" and any(
                o.dep_ == "pobj" and staff(o) for o in child.children):
            return True
    return False


def _reachable(doc: Doc, cue: tuple[int, int], target: tuple[int, int], config: _Config) -> bool:
    """Is `target` what the cue asks for: same sentence, close after it, no other verb between,
    and no negation just before it ("never share", "you don't need to turn off")?"""
    start, end = cue
    if target[0] < end or target[0] - end > config.max_gap:
        return False
    sentence = doc[start].sent
    if target[1] > sentence.end:
        return False
    between = list(doc[end:target[0]])
    if any(t.pos_ == "VERB" and not _carries(t, config) for t in between):
        return False
    before = list(doc[max(sentence.start, start - config.negation_window):start])
    # only the cue's own clause: "No problem, please send me ..." is not a negated request
    clause = [t for t in before if t.is_punct]
    if clause:
        before = before[before.index(clause[-1]) + 1:]
    return not _negated(before + between, config)


def _asks(context: AnalysisContext, config: _Config, matches: list[tuple[str, int, int]]) -> list[Finding]:
    doc = context.doc
    mentions = _secret_mentions(doc, config, matches)
    asks = _verb_asks(doc, config, mentions)
    cues = _ask_cues(doc, config, matches)
    for cue_start, cue_end in cues:
        # a handover word the tagger misread, then "it": "Once you receive the code, forward it to me."
        following = [t for t in doc[cue_end:min(cue_end + 2, doc[cue_start].sent.end)]
                     if t.lower_ not in config.recipients]
        if following and following[0].lower_ in config.pronouns and doc[cue_start].lower_ in config.ask_verbs:
            antecedent = _antecedent(doc, following[0], mentions)
            if antecedent is not None and not _negated_before(doc, doc[cue_start], config):
                asks.append((antecedent[0].split(":")[0], cue_start, following[0].i + 1))
        elif doc[cue_start].lower_ in config.ask_verbs:
            # a misread handover word and a bare "code": "forward me the verification email
            # including the code" (a secret when the reply is about signing in, or when it goes to us)
            cue = doc[cue_start]
            to_agent = ((cue_end < len(doc) and doc[cue_end].lower_ in config.recipients)
                        or _to_agent(cue, config) or _to_staff(cue, config))
            code = next((m for m in mentions if m[2] - m[1] == 1 and doc[m[1]].lower_ in ("code", "codes")
                         and (m[0].endswith(":secret") or to_agent)
                         and cue_end <= m[1] <= cue_end + config.max_gap
                         and _reachable(doc, (cue_start, cue_end), m[1:], config)), None)
            if code is not None:
                asks.append((ASKS_FOR_PASSWORD, cue_start, code[2]))
    findings = []
    for rule_id, start, end in asks:
        rule = config.rule(rule_id)
        span = doc[start:end]
        findings.append(context.finding("security", rule_id, rule.severity, span.start_char, span.end_char,
                                        rule.format_message(span.text), rule.suggestion))
    for rule_id in ASK_RULES:
        rule = config.rule(rule_id)
        excluded = [(s, e) for key, s, e in matches if key == f"{rule_id}:not"]
        secrets = sorted((s, e) for key, s, e in matches if key == f"{rule_id}:secret"
                         and not any(s < xe and xs < e for xs, xe in excluded))
        for cue in cues:
            first = bisect.bisect_left(secrets, (cue[1],))  # targets start after the cue, within max_gap
            nearby = secrets[first:bisect.bisect_right(secrets, (cue[1] + config.max_gap + 1,))]
            target = next((secret for secret in nearby if _reachable(doc, cue, secret, config)), None)
            if target is None or any(cue[0] <= xs < target[1] for xs, _ in excluded):
                continue
            span = doc[cue[0]:target[1]]
            findings.append(context.finding("security", rule_id, rule.severity, span.start_char, span.end_char,
                                            rule.format_message(span.text), rule.suggestion))
    return findings


def _disable_security(context: AnalysisContext, config: _Config,
                      matches: list[tuple[str, int, int]]) -> list[Finding]:
    doc, rule = context.doc, config.rule(DISABLE_SECURITY)
    targets = sorted((s, e) for key, s, e in matches if key == "target")
    findings = []
    candidates = config.disable_verbs | config.phrasal_verbs
    for token in doc:
        if token.lower_ not in candidates and token.lemma_.lower() not in candidates:
            continue  # _is_request's own first test, before the token's children are read
        phrasal = [c for c in token.children if c.dep_ == "prt" and c.lower_ in config.particles]
        verbs = config.disable_verbs | (config.phrasal_verbs if phrasal else frozenset())
        if not _is_request(token, verbs, config):
            continue
        cue = (token.i, token.i + 1)
        # "turn off your firewall": the particle sits between the verb and its object
        adjacent = [p for p in phrasal if p.i == token.i + 1]
        if adjacent:
            cue = (token.i, token.i + 2)
        target = next((t for t in targets if _reachable(doc, cue, t, config)), None)
        if target is None:
            continue
        end = max([target[1], *(p.i + 1 for p in phrasal if p.i - target[1] <= 1)])
        span = doc[token.i:end]
        nearby = _sentence_and_next(doc, token.sent)
        if config.regex["safeguard"].search(nearby):
            continue
        if config.regex["temporary"].search(nearby):
            message = config.extra[DISABLE_SECURITY]["temporary_message"].replace("{text}", span.text)
            severity = "suggestion"
        else:
            message, severity = rule.format_message(span.text), rule.severity
        findings.append(context.finding("security", DISABLE_SECURITY, severity, span.start_char,
                                        span.end_char, message, rule.suggestion))
    return findings


# ---------------------------------------------------------------- the agent switching a protection off

def _object_of(token: Token, verb: Token) -> bool:
    """Is `token` (part of) what `verb` acts on: its direct object, or a word inside that object's
    noun phrase ("the 2FA requirement"), but not a word further down ("the old phone from your
    two-factor settings")?"""
    while token.dep_ in ("compound", "amod", "nummod", "nmod", "punct", "det", "poss", "appos", "hmod", "hyph"):
        if token.head.i == token.i:
            return False
        token = token.head
    return token.head.i == verb.i and token.i != verb.i and token.dep_ in ("dobj", "obj", "nsubjpass")


def _done_by_agent(verb: Token, config: _Config) -> bool:
    """Is `verb` something the agent did, does or offers to do ("I've turned off", "we'll remove",
    "I can disable", "let me turn off"), not refused ("we can't turn off") or a condition ("if we
    disable")?"""
    token = verb
    while True:
        if any(c.dep_ == "neg" for c in token.children):
            return False
        if any(c.dep_ == "mark" and c.lower_ in config.conditional_marks for c in token.children):
            return False
        subjects = [c.lower_ for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            if token.head.lemma_ == "let" and all(s in config.recipients for s in subjects):
                return True  # "let me turn off ..."
            return all(s in config.agent_subjects for s in subjects)
        if token.dep_ in ("conj", "xcomp") and token.head.i != token.i:
            token = token.head  # "I'll go ahead and turn off ...", "I've managed to remove ..."
        else:
            return False


def _switched_off(verb: Token, config: _Config) -> bool:
    """A verb that switches something off: disable, remove, "turn/switch/take ... off"."""
    lemma = verb.lemma_.lower()
    if verb.pos_ == "ADJ" and lemma.endswith("ed"):
        lemma = lemma[:-1]  # "disabled" tagged as an adjective: "is now disabled"
    if lemma in config.disable_verbs or lemma in config.remove_verbs:
        return True
    return lemma in config.phrasal_verbs and any(
        c.dep_ in ("prt", "prep", "advmod") and c.lower_ in config.particles for c in verb.children)


def _protection_switched_off(context: AnalysisContext, config: _Config,
                             matches: list[tuple[str, int, int]]) -> list[Finding]:
    """The agent switching off a sign-in protection on the customer's account ("Sure, I've turned
    off two-factor for your account", "Two-step verification has been removed"): taking away a
    second factor because someone asked is how account takeovers by social engineering succeed."""
    doc = context.doc
    protections = [(s, e) for key, s, e in matches if key == "sign-in-protection"]
    findings = []
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX", "ADJ") or not _switched_off(verb, config):
            continue
        passive = any(c.dep_ == "nsubjpass" for c in verb.children)
        if verb.pos_ == "ADJ" and not passive:
            # "Two-step verification is now disabled": a state that is new ("now"), read off "is"
            be = verb.head
            done = (verb.dep_ == "acomp" and any(c.lower_ == "now" for c in [*be.children, *verb.children])
                    and not any(c.dep_ == "neg" or c.tag_ == "MD" for c in be.children))
            subjects = [c for c in be.children if c.dep_ == "nsubj"]
            target = next(((s, e) for s, e in protections
                           if subjects and any(_head_noun(t).i == subjects[0].i for t in doc[s:e])), None)
            if done and target is not None:
                findings.append(_protection_finding(context, config, doc[min(target[0], verb.i):verb.i + 1]))
            continue
        if passive:
            # "has been turned off", "is now disabled": done, not a how-to ("can be switched off in Settings")
            auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")]
            done = (not any(c.dep_ == "neg" or c.tag_ == "MD" or c.lower_ in config.negations for c in auxiliaries)
                    and any(c.lower_ in ("been", "now") for c in auxiliaries))
        else:
            done = _done_by_agent(verb, config) and not _negated_before(doc, verb, config)
        if not done:
            continue
        target = next(((s, e) for s, e in protections
                       if any(_object_of(t, verb) for t in doc[s:e])), None)
        if target is None:
            continue
        # the whole object ("the 2FA requirement"), and a particle after it ("taken two-step sign-in off")
        noun = _head_noun(doc[target[0]])
        start, end = min(verb.i, target[0]), _word_end(doc, max(verb.i + 1, target[1], noun.i + 1))
        particles = [c.i for c in verb.children if c.lower_ in config.particles and c.i - end <= 1 and c.i >= end]
        findings.append(_protection_finding(context, config, doc[start:max([end, *(i + 1 for i in particles)])]))
    return findings


def _protection_finding(context: AnalysisContext, config: _Config, span: Span) -> Finding:
    rule, extra = config.rule(DISABLE_SECURITY), config.extra[DISABLE_SECURITY]
    return context.finding("security", DISABLE_SECURITY, rule.severity, span.start_char, span.end_char,
                           extra["done_message"].replace("{text}", span.text), extra["done_suggestion"])


def _head_noun(token: Token) -> Token:
    """The noun a modifier belongs to: "2FA" -> "requirement" in "the 2FA requirement"."""
    while token.dep_ in ("compound", "amod", "nummod", "nmod", "punct", "hmod", "hyph") and token.head.i != token.i:
        token = token.head
    return token


def _word_end(doc: Doc, end: int) -> int:
    """`end` moved past the rest of a hyphenated word ("sign" -> "sign-in")."""
    while end < len(doc) and not doc[end - 1].whitespace_ and (doc[end].text == "-" or doc[end - 1].text == "-"):
        end += 1
    return end


# ---------------------------------------------------------------- shared logins

def _shared_logins(context: AnalysisContext, config: _Config, matches: list[tuple[str, int, int]]) -> list[Finding]:
    """Someone told to sign in with an account that isn't theirs ("just use the team account",
    "sign in as me", "borrow Priya's login"), or a login's password kept where a whole team reads
    it ("the password is in the channel")."""
    doc, rule = context.doc, config.rule(SHARED_LOGIN)
    accounts = sorted((s, e) for key, s, e in matches if key == "shared-account")
    team_accounts = [(s, e) for key, s, e in matches if key == "team-account"]
    as_someone = [(s, e) for key, s, e in matches if key == "as-someone"]
    spans: list[tuple[int, int]] = []
    for verb in doc:
        lemma = verb.lemma_.lower()
        if lemma not in config.login_verbs and verb.lower_ not in config.login_verbs:
            continue
        team_practice = _team_practice(verb)
        if not (team_practice or _is_request(verb, config.login_verbs, config) or _opens_imperative(verb, config)):
            continue
        targets = sorted(accounts + (team_accounts if team_practice else [])
                         + (as_someone if lemma in config.as_someone_verbs else []))
        cue = (verb.i, verb.i + 1)
        target = next((a for a in targets if _reachable(doc, cue, a, config)), None)
        if target is not None and not _negated_before(doc, verb, config):
            spans.append((verb.i, target[1]))
    for token in doc:
        if token.lower_ in config.secret_words and _kept_in_shared_place(token, config):
            head = token.head
            end = max(t.i for t in head.subtree if t.i >= token.i and not t.is_punct) + 1
            spans.append((token.left_edge.i, end))
    findings = []
    for start, end in _one_per_sentence(doc, spans):
        span = doc[start:end]
        findings.append(context.finding("security", SHARED_LOGIN, rule.severity, span.start_char, span.end_char,
                                        rule.format_message(span.text), rule.suggestion))
    return findings


def _team_practice(verb: Token) -> bool:
    """"We all use the same login", "everyone uses the team account": the way it's done here, which
    a new starter takes as an instruction."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return any(s.lower_ in ("everyone", "everybody") or (s.lower_ == "we" and any(
        c.lower_ in ("all", "both") for c in [*s.children, *verb.children])) for s in subjects)


def _one_per_sentence(doc: Doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One finding per sentence: a login shared in one sentence is one problem, told once (spans
    next to each other are joined: "use the team account, password is in the channel")."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and doc[start].sent.start == doc[merged[-1][0]].sent.start:
            if start - merged[-1][1] <= 2:  # "use the team account, password is in the channel"
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _kept_in_shared_place(secret: Token, config: _Config) -> bool:
    """"password is in the channel", "the login is pinned in Slack": the secret is the subject of a
    clause that puts it in a place a team shares (not "never post passwords in the channel")."""
    if secret.dep_ not in ("nsubj", "nsubjpass"):
        return False
    clause = secret.head
    if _negated([c for c in clause.children], config) or _negated_before(secret.doc, clause, config):
        return False
    if any(c.dep_ == "mark" and c.lower_ in config.conditional_marks for c in clause.children):
        return False
    places = [o for prep in clause.children if prep.dep_ == "prep" and prep.lower_ in ("in", "on", "at")
              for o in prep.subtree if o.dep_ == "pobj"]
    return any(o.lemma_.lower() in config.shared_places or o.lower_ in config.shared_places for o in places)


def _sentence_and_next(doc: Doc, sentence: Span) -> str:
    if sentence.end < len(doc):
        return doc[sentence.start:doc[sentence.end].sent.end].text
    return sentence.text


# ---------------------------------------------------------------- secrets pasted into the reply

def _credentials(context: AnalysisContext, config: _Config) -> list[Finding]:
    """Secrets pasted into the reply, found by the detectors redaction uses too (coach/secrets.py).
    A random token inside a link (a reset link's) is how such links work, not a pasted secret."""
    text, rule = context.text, config.rule(SHARED_CREDENTIAL)
    findings = []
    for match in find_secrets(text):
        if match.in_url and match.detector == "high-entropy":
            continue
        start, end = (match.secret_start, match.secret_end) if match.quote_secret else (match.start, match.end)
        findings.append(context.finding("security", SHARED_CREDENTIAL, rule.severity, start, end,
                                        rule.format_message(text[start:end]), rule.suggestion))
    return findings


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum: double every second digit from the right (minus 9 when over 9);
    the total must be a multiple of 10."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _card_numbers(context: AnalysisContext, config: _Config) -> list[Finding]:
    text, rule = context.text, config.rule(CARD_NUMBER)
    first_digits = tuple(config.extra[CARD_NUMBER]["card_first_digits"])
    findings = []
    for match in config.regex["card_regex"].finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        line_start = text.rfind("\n", 0, match.start()) + 1
        if (not 13 <= len(digits) <= 19 or not digits.startswith(first_digits) or not luhn_valid(digits)
                or config.regex["not_after"].search(text, line_start, match.start())):
            continue
        findings.append(context.finding("security", CARD_NUMBER, rule.severity, match.start(), match.end(),
                                        rule.format_message(match.group(0)), rule.suggestion))
    return findings


# ---------------------------------------------------------------- personal data

def iban_valid(value: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers (A=10...),
    and the number modulo 97 must be 1."""
    compact = value.replace(" ", "").upper()
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _personal_data(context: AnalysisContext, config: _Config, cards: list[Finding]) -> list[Finding]:
    text, rule = context.text, config.rule(PERSONAL_DATA)
    extra, regex = config.extra[PERSONAL_DATA], config.regex
    customer = (context.customer_message or "").lower()
    customer_digits = re.sub(r"\D", "", customer)
    found: list[tuple[str, int, int]] = []
    for match in regex["email_regex"].finditer(text):
        local, _, domain = match.group(0).lower().partition("@")
        reserved = domain in extra["example_domains"] or domain.rsplit(".", 1)[-1] in extra["reserved_tlds"]
        illustration = regex["example_cue"].search(text, max(0, match.start() - 30), match.start())
        if (match.group(0).lower() not in customer and local not in extra["role_mailboxes"]
                and not reserved and illustration is None):
            found.append(("email", match.start(), match.end()))
    low, high = extra["phone_digits"]
    for match in regex["phone_regex"].finditer(text):
        digits, number = re.sub(r"\D", "", match.group(0)), match.group(0)
        before = text[max(0, match.start() - 60):match.start()]
        clause = text[max(text.rfind(mark, 0, match.start()) for mark in ".!?\n,;:") + 1:match.start()]
        if (not low <= len(digits) <= high or (customer_digits and digits in customer_digits)
                or regex["toll_free"].search(number) or regex["phone_ours"].search(before)
                or regex["phone_destination"].search(clause)
                or any(c.start <= match.start() < c.end for c in cards)):
            continue
        if regex["phone_shape"].search(number) or regex["phone_label"].search(before):
            found.append(("phone", match.start(), match.end()))
    found += [("birth-date", m.start(), m.end()) for m in regex["birth_date_regex"].finditer(text)]
    found += [("national-id", m.start(), m.end()) for m in regex["national_id_regex"].finditer(text)]
    found += [("iban", m.start(), m.end()) for m in regex["iban_regex"].finditer(text) if iban_valid(m.group(0))]
    return [context.finding("security", PERSONAL_DATA, rule.severity, start, end,
                            extra["messages"][kind].replace("{text}", text[start:end]), rule.suggestion)
            for kind, start, end in found]


analyzer = SecurityAnalyzer()
