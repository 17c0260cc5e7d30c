"""Concrete rewrites: what replaces a flagged passage, or the sentence that fills an absence.

Feedback never analyses the reply itself. A rewrite is built from the finding (its quoted text and
its `suggestion`, e.g. the glossary's plain alternative or a spelling correction) and from the
template's rewrite recipe (coach/feedback/templates.yaml `rewrite:`):

- suggestion: replace the passage with finding.suggestion ("utilize" -> "use")
- phrases:    a replacement looked up by the passage's words ("not our problem" -> "outside what we
              can change"); a whole sentence for a passage that is most of one ("There is nothing we
              can do." -> "What I can do is [what you can do instead]."); a trailing clause taken
              out (", any user can figure it out"); a stock first step asked as a brush-off ("Have
              you tried clearing your cache?") taken out or made a placeholder (`asked_step`); or
              (otherwise: drop-sentence) the sentence the passage opens taken out ("You should have
              saved it first.")
- delete:     drop the passage and tidy the words around it ("Obviously, you" -> "You"), or only
              some of its words ("Just read" -> "Read")
- calm:       capitals to lower case, "!!!" to "."
- mask:       replace the passage with a fixed text (a pasted card number or password)
- sentence:   replace the whole sentence around the passage (a request for a password)
- please:     a bare command made a request ("Restart it." -> "Please restart it.")
- active:     passive turned active with the analyser's active clause ("We have reset your password")
- split:      a long sentence ended where two clauses meet (", and files were" -> ". Files were")
- insert:     a drafted sentence placed where it belongs (after the greeting, before the sign-off),
              or in place of a sentence it would contradict ("Please do not contact us.")

A term inside a phrase listed in coach/feedback/plain_phrases.yaml has the whole phrase rewritten
("a BGP misconfiguration" -> "a mistake in the network settings"); one inside a technical step listed
there ("flush your DNS cache") becomes a placeholder for the steps, which only the agent can write.

A word-level rewrite is kept only when the sentence still reads (coach/feedback/sendable.py).
Edits never overlap; they are applied from the end of the text so the offsets stay valid.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from coach.feedback import plain_phrases, questions, sendable, voice
from coach.feedback.templates import AskedStep, Rewrite, RuleTemplate, Templates, load_templates, phrase_key, render
from coach.findings import Evidence, Finding
from coach.placeholders import find as find_placeholders
from coach.report import Report
from coach.rules import load_ruleset

_NEXT_WORD = re.compile(r"[,;:]?[ \t]+(\w+)")
# a short lead-in of when or where left behind when a sentence's opening words go ("As I said| last
# time, this...", "As I said| in my last email, it's...")
_LEAD_IN_TAIL = re.compile(r"[ \t]+(?:in|on|at|last|before|earlier|already|above|below|previously|yesterday|"
                           r"twice|again|many|several)\b(?:[ \t]+[\w'’]+){0,4},[ \t]+(\w+)", re.IGNORECASE)
# what may separate two swapped terms that then read as one phrase ("split tunneling config")
_JOINED = re.compile(r"[ \t-]*\Z")
# ...unless the second opens with a preposition: a phrase of its own ("utilizing | on a regular basis")
_PREPOSITIONS = frozenset({"on", "in", "at", "by", "for", "with", "after", "before", "until", "from", "to", "of",
                           "over", "under", "despite"})
_BEFORE = re.compile(r"[,;:]?[ \t]*\Z")
_EXCLAIMS = re.compile(r"[!?]*(?:!!|\?!|!\?)[!?]*")
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z']+\b")
# the next word of a shouted run: a number or a word in capitals, after spaces
_RUN_WORD = re.compile(r"[ \t]+(\d+|[A-Z][A-Z']+)\b")
_LONE_I = re.compile(r"\bi\b")
_SENTENCE_END = re.compile(r"[.!?]+[ \t]+")
_NON_SPACE = re.compile(r"\S")
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"')\]]*(?=\s)|\n")
_SENTENCE_CLOSE = re.compile(r"[.!?]+[\"')\]]*|\n")
# first words of an active clause that take a small letter inside a sentence ("and we have reset")
_LOWER_OPENERS = frozenset({"we", "our", "you", "your", "they", "their", "the", "he", "she", "it",
                            "its", "this", "that", "these", "those", "my", "a", "an", "someone"})
_PUNCTUATED = re.compile(r"[.!?,:;]")
# a greeting line holds the greeting and a name or two ("Hi Maria,", "Good morning Dr Lee,")
_GREETING_LINE_WORDS = 4
_SIGNATURE_WORDS = 3
# a one-paragraph reply of fewer sentences (a chat message) takes a drafted sentence inline
_INLINE_SENTENCES = 2
# a name after the last sentence of a one-paragraph reply ("... at the time. Noah")
_INLINE_SIGNATURE = re.compile(r"[.!?][ \t]+([A-Z][a-z'-]+(?:[ \t][A-Z][a-z'-]+)?)\Z")
# a sentence this short whose flagged word can't be taken out alone is taken out whole
_STUMP_WORDS = 6
_ARTICLE = re.compile(r"(?<!\w)([Aa]n?)[ \t]+\Z")
# a sentence replaced whole for its passage may hold at most this many other words ("Unfortunately
# there is"): more, and it says something the replacement would lose
_WHOLE_SENTENCE_EXTRA_WORDS = 4
# a plain alternative this short can follow an adjective ("the new internet box")
_SHORT_PHRASE_WORDS = 2
# what may open a passage whose known phrase follows ("thats | not up for discussion"), as written
_OPENERS = {"thats": "that's", "that's": "that's", "that’s": "that's", "that is": "that is", "this is": "this is",
            "its": "it's", "it's": "it's", "it’s": "it's", "it is": "it is"}
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n|\Z)")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text`. Inserts (start == end) at one place are read in `order`."""

    start: int
    end: int
    text: str
    order: int = 0
    lead: str = ""
    trail: str = ""
    joinable: bool = False
    # a deletion that opened a sentence: the word that now opens it needs a capital
    capitalise_next: bool = False
    # what the agent should know about the edit beyond its text (the sentence it replaces)
    note: str | None = None
    # a grammar checker's correction, right only next to the words it was made for ("! and" ->
    # "! And"): not offered together with an edit of its neighbours
    needs_neighbours: bool = False
    # rewrites or takes out a whole sentence: it goes before the word-level edits inside it
    whole_sentence: bool = False

    @property
    def body(self) -> str:
        return self.text[len(self.lead):len(self.text) - len(self.trail)]


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]


def _opens_sentence(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?" or text[:position].endswith("\n")


def deletion(text: str, start: int, end: int) -> Edit:
    """Drop text[start:end] and keep the sentence readable: with the comma and space after it (the
    next word gets a capital if the passage opened the sentence), or, at the end of a sentence,
    with the space and comma before it."""
    opening, closing = sentence_bounds(text, start, end)
    if not _WORD.search(text[opening:start] + text[end:closing]):
        # the passage is the whole sentence ("It's not rocket science."): the sentence goes
        following = _NON_SPACE.search(text, closing)
        if following is not None and "\n" not in text[closing:following.start()]:
            return Edit(opening, following.start(), "")
        return Edit(len(text[:opening].rstrip(" \t")), closing, "")
    opens = _opens_sentence(text, start)
    lead_in = _LEAD_IN_TAIL.match(text, end) if opens else None
    if lead_in:  # "As I already said last time, this is" -> "This is", not "Last time, this is"
        return Edit(start, lead_in.start(1), "", capitalise_next=True)
    following = _NEXT_WORD.match(text, end)
    if following:
        return Edit(start, following.start(1), "", capitalise_next=opens)
    before = _BEFORE.search(text, 0, start)
    return Edit(before.start() if before else start, end, "")


def self_contained(edit: Edit, text: str) -> Edit:
    """The edit as a plain replacement of its own span: a deletion at a sentence's start takes in
    the word that now opens the sentence ("Obviously, you" -> "You"), so accepting it alone changes
    nothing outside its span."""
    if not edit.capitalise_next:
        return edit
    word = _WORD.match(text, edit.end)
    end = word.end() if word else edit.end
    return Edit(edit.start, end, edit.text + _capitalise(text[edit.end:end]), edit.order, note=edit.note)


def reads_well(edit: Edit, text: str, swap: bool) -> bool:
    """Whether the sentence around an edit still reads once the edit is made (`swap`: a word swapped
    for the analyser's alternative, which must also keep the word's job in the sentence)."""
    if edit.start == edit.end:
        return True
    opening, closing = parse_window(text, edit.start, edit.end)
    before = text[opening:closing]
    after = text[opening:edit.start] + edit.text + text[edit.end:closing]
    start = edit.start - opening
    return sendable.still_reads(before, start, edit.end - opening, after, start + len(edit.text), swap)


def compound_span(finding: Finding, text: str, adjectives: bool | None = None) -> tuple[int, int] | None:
    """Where the noun compound or name the passage sits in lies ("BGP misconfiguration"), or None;
    with `adjectives` (by default: for a replacement of more than two words), an adjective before
    the passage counts too ("heavy packet loss")."""
    opening, closing = parse_window(text, finding.start, finding.end)
    if adjectives is None:
        adjectives = len((finding.suggestion or "").split()) > _SHORT_PHRASE_WORDS
    found = sendable.compound_around(text[opening:closing], finding.start - opening, finding.end - opening, adjectives)
    return None if found is None else (opening + found[0], opening + found[1])


def compound_around(finding: Finding, text: str) -> str | None:
    """The noun compound or name the passage sits in, as written (see compound_span)."""
    found = compound_span(finding, text)
    return None if found is None else text[found[0]:found[1]]


def _reword_placeholder(finding: Finding, text: str, templates: Templates) -> Edit | None:
    """A compound whose plain words can't go into it ("stale Kerberos ticket cache") becomes a
    placeholder the agent fills with their own plain words ("[plain words for 'stale Kerberos
    ticket cache']"): the reply can't be sent with the jargon, and the coach can't say it for them."""
    if not finding.suggestion or len(finding.suggestion.split()) <= 1:
        return None  # a one-word alternative fits anywhere; without one the term stands alone
    found = compound_span(finding, text, adjectives=True)  # "a stale Kerberos ticket cache": all of it
    if found is None:
        return None
    start, end = found
    if text[start:start + 1].isupper() and not _opens_sentence(text, start):
        return None  # a name or a label on the screen ("choose Map network drive"): it stays as written
    article = _ARTICLE.search(text, 0, start)
    if article:  # "a [plain words for ...]" would read "a an ..." once filled: the article is theirs too
        start = article.start(1)
    phrase = text[start:end]
    placeholder = render(templates.reword_placeholder, {"quote": phrase})
    if "\n" in phrase or [p.text for p in find_placeholders(placeholder)] != [placeholder]:
        return None  # a phrase a placeholder can't hold (punctuation): left to the agent, and said so
    note = render(templates.rephrase, {"quotes": f"'{phrase}'"})
    return Edit(start, end, placeholder, note=note)


def _step_placeholder(text: str, start: int, end: int, templates: Templates) -> Edit | None:
    """"Please flush your DNS cache" -> "Please [steps they can follow for 'flush your DNS cache']":
    in plainer words ("flush your saved list of website addresses") it is still no step a customer
    can take without being told where to click, and only the agent knows those steps."""
    phrase = text[start:end]
    placeholder = render(templates.step_placeholder, {"quote": phrase})
    if "\n" in phrase or [p.text for p in find_placeholders(placeholder)] != [placeholder]:
        return None  # a phrase a placeholder can't hold: left to the agent, and said so
    return Edit(start, end, placeholder, note=render(templates.technical_step, {"quote": phrase}))


def fitted(text: str, start: int, end: int, replacement: str) -> Edit:
    """Replace text[start:end] so the sentence still reads: a capital when it opens a sentence, no
    doubled full stop, and an 'a'/'an' just before it that suits the new first word."""
    if replacement[-1:] in ".!?" and text[end:end + 1] in (".", "!", "?"):
        replacement = replacement[:-1]
    if _opens_sentence(text, start):
        replacement = _capitalise(replacement)
    article = _ARTICLE.search(text, 0, start)
    if article and replacement[:1].isalpha():
        wanted = "an" if replacement[:1].lower() in "aeiou" else "a"
        if article.group(1).lower() != wanted:
            wanted = wanted.capitalize() if article.group(1)[:1].isupper() else wanted
            return Edit(article.start(1), end, f"{wanted} {replacement}")
    return Edit(start, end, replacement)


def _shouted_run_end(text: str, end: int) -> int:
    """Where a run of shouted words the passage starts really ends: "YOU SIGNED THE CONTRACT FOR |
    50 SEATS" goes on over numbers and capitalised everyday words (not "VPN", an abbreviation)."""
    run_end = end
    for word in _RUN_WORD.finditer(text, end):
        if word.start() != end:
            break
        token = word.group(1)
        if not token.isdigit() and not sendable.everyday_word(token):
            break
        end = word.end()
        if not token.isdigit():
            run_end = end
    return run_end


def calm(text: str, start: int, end: int) -> Edit | None:
    """Capitals to lower case and '!!!' to '.'; a word that opens a sentence keeps its capital."""
    if _CAPS_WORD.search(text, start, end):
        end = _shouted_run_end(text, end)
    quote = text[start:end]

    def lower(match: re.Match[str]) -> str:
        word = match.group(0).lower()
        if _opens_sentence(text, start + match.start()):
            word = _capitalise(word)
        return word

    calmer = _LONE_I.sub("I", _CAPS_WORD.sub(lower, quote))
    calmer = _EXCLAIMS.sub(lambda m: "?" if "?" in m.group(0) else ".", calmer)
    return Edit(start, end, calmer) if calmer != quote else None


# A check that parses the sentence around an edit parses at most this many characters either side of
# it: a run-on "sentence" of thousands of words (a pasted log, no full stops) would otherwise be
# parsed whole once per edit, which is quadratic in its length.
_PARSE_WINDOW_CHARS = 150
_SPACE = re.compile(r"\s")


def parse_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end] (sentence_bounds), cut to _PARSE_WINDOW_CHARS either side
    at a space, and always covering [start:end]: the words a parser needs to judge the passage."""
    opening, closing = sentence_bounds(text, start, end)
    opening, closing = min(opening, start), max(closing, end)
    if start - opening > _PARSE_WINDOW_CHARS:
        space = _SPACE.search(text, start - _PARSE_WINDOW_CHARS, start)
        opening = space.end() if space else opening
    if closing - end > _PARSE_WINDOW_CHARS:
        spaces = [found.start() for found in _SPACE.finditer(text, end, end + _PARSE_WINDOW_CHARS)]
        closing = spaces[-1] if spaces else closing
    return opening, closing


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], by its punctuation and line breaks."""
    opening = 0
    for found in _SENTENCE_BREAK.finditer(text, 0, start):
        opening = found.end()
    first = _NON_SPACE.search(text, opening, end)
    opening = first.start() if first else start
    closing = _SENTENCE_CLOSE.search(text, end)
    if closing is None:
        return opening, len(text.rstrip())
    return opening, closing.end() if closing.group(0) != "\n" else closing.start()


def please(text: str, start: int, end: int, lead_ins: tuple[str, ...]) -> Edit | None:
    """A bare command made a request: "Restart it." -> "Please restart it.", "Then restart it." ->
    "Then please restart it."."""
    first = _WORD.match(text, start)
    if first is None:
        return None
    if first.group(0).lower() in lead_ins:
        return Edit(first.end(), first.end(), " please")
    word = first.group(0)
    lowered = word if word == "I" or word[1:2].isupper() else word[:1].lower() + word[1:]
    return Edit(start, first.end(), ("Please " if _opens_sentence(text, start) else "please ") + lowered)


def drop_words(text: str, start: int, end: int, words: tuple[str, ...]) -> Edit | None:
    """Only the listed words of the passage go: "Just read" -> "Read"."""
    quote = text[start:end]
    kept = [w for w in quote.split() if w.lower().strip(",") not in words]
    if not kept or len(kept) == len(quote.split()):
        return None
    rest = " ".join(kept)
    return Edit(start, end, _capitalise(rest) if _opens_sentence(text, start) else rest)


def _template_pattern(template: str, text: str) -> re.Pattern[str]:
    """A regex that reads the values back out of a filled-in rule message or suggestion."""
    pieces = re.split(r"\{(\w+)\}", template)
    regex, seen = "", set()
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            regex += re.escape(piece)
        elif piece == "text":
            regex += re.escape(text)
        elif piece in seen:
            regex += f"(?P={piece})"
        else:
            seen.add(piece)
            regex += f"(?P<{piece}>.+?)"
    return re.compile(regex + r"\Z", re.S)


def active(finding: Finding, text: str) -> Edit | None:
    """Passive turned active with the analyser's own active clause: "Your password was reset" ->
    "We have reset your password". The analyser's rule text carries {active} in its suggestion and
    {subject} and {agent} in its message; the rewrite covers subject, verb and "by" doer."""
    try:
        rule = load_ruleset(finding.analyzer).get(finding.rule)
    except KeyError:
        return None
    if not rule.suggestion or not finding.suggestion:
        return None
    found = _template_pattern(rule.suggestion, finding.text).match(finding.suggestion)
    if found is None or "active" not in found.groupdict():
        return None
    clause = found.group("active")
    # only where the reply names the doer ("by the service desk"): "the account was locked" made
    # "we have locked the account" would add a fact the reply never stated
    template = rule.extra.get("message_with_agent")
    parts = _template_pattern(template, finding.text).match(finding.message) if isinstance(template, str) else None
    if parts is None or "subject" not in parts.groupdict() or not parts.groupdict().get("agent"):
        return None
    subject = re.search(re.escape(parts.group("subject")) + r"\s+\Z", text[:finding.start])
    if subject is None:
        return None
    opening, closing = parse_window(text, finding.start, finding.end)
    if sendable.shares_its_subject(text[opening:closing], finding.start - opening, finding.end - opening):
        return None  # "Restores are processed ... and are performed": the second verb would lose its subject
    end = finding.end
    agent = parts.groupdict().get("agent")
    if agent:
        doer = re.compile(r"\s+by\s+" + re.escape(agent)).match(text, end)
        if doer is None:
            return None
        end = doer.end()
    # the analyser's active clause may carry the rest of the clause too ("... processes restores
    # according to the queue"): words that follow the doer in the reply as they are stay where they
    # are, never doubled, and the edit ends at the doer (a plain word swap in them stays its own)
    stop = _SENTENCE_BREAK.search(text, end)
    tail = ""
    for word in re.finditer(r"[^\s.,;:!?]+", text[end:stop.start() if stop else len(text)]):
        candidate = text[end:end + word.end()].strip()
        if candidate and clause.rstrip(".,;:!? ").endswith(" " + candidate):
            tail = candidate
    if tail:
        clause = clause.rstrip(".,;:!? ")[:-len(tail)].rstrip()
    if not _opens_sentence(text, subject.start()):
        if agent and clause.lower().startswith(agent.lower()):
            clause = agent + clause[len(agent):]  # the doer as the reply wrote it
        elif clause.split(" ", 1)[0].lower() in _LOWER_OPENERS:
            clause = clause[:1].lower() + clause[1:]
    return Edit(subject.start(), end, clause)


def _joined_to_another(finding: Finding, text: str, others: Iterable[Finding]) -> bool:
    """Whether the passage is glued to a hyphen or to another passage of the same rule: word swaps
    there read as nonsense ("split tunneling config" -> "setting that ... settings file"), so the
    sentence is left for the agent to rewrite."""
    if text[finding.start - 1:finding.start] == "-" or text[finding.end:finding.end + 1] == "-":
        return True
    for other in others:
        if other.rule != finding.rule or other is finding:
            continue
        if other.end <= finding.start and _JOINED.match(text[other.end:finding.start]) \
                and not _opens_with_a_preposition(finding.text):
            return True
        if finding.end <= other.start and _JOINED.match(text[finding.end:other.start]) \
                and not _opens_with_a_preposition(other.text):
            return True
    return False


def _opens_with_a_preposition(passage: str) -> bool:
    words = passage.split(maxsplit=1)
    return len(words) > 1 and words[0].lower() in _PREPOSITIONS


def _without_echo(before: str, replacement: str) -> str:
    """The replacement without the words the text already has just before it: "the card " +
    "the card ending 0004" -> "ending 0004"."""
    words = replacement.split(" ")
    for count in range(len(words) - 1, 0, -1):
        echo = " ".join(words[:count])
        if re.search(r"(?<!\w)" + re.escape(echo) + r"[ \t]+\Z", before, re.IGNORECASE):
            return " ".join(words[count:])
    return replacement


def after_greeting(report: Report, templates: Templates, start: int, end: int) -> int:
    """Where a replaced sentence really starts when it opens with the greeting ("Hi, can you tell
    me your password?"): the greeting stays."""
    for greeting in greetings_in(report, templates):
        if start <= greeting.start < end:
            following = re.compile(r"[^,!:\n]*[,!:][ \t]*").match(report.text, greeting.end)
            if following and following.end() < end:
                return following.end()
    return start


def _replacement(finding: Finding, rewrite: Rewrite, kind: str, text: str,
                 values: dict[str, str], others: Iterable[Finding] = ()) -> Edit | None:
    quote, suggestion = finding.text, (finding.suggestion or "").strip()
    if finding.start == finding.end:
        return None
    if kind == "suggestion":
        # two terms side by side read as one phrase; corrections ("u shud" -> "you should") don't
        if not suggestion or suggestion == quote or (rewrite.safe is None and _joined_to_another(finding, text, others)):
            return None
        if rewrite.max_words is not None and len(suggestion.split()) > rewrite.max_words:
            return None
        if rewrite.safe == "typo" and not sendable.safe_typo(quote, suggestion):
            return None
        if len(suggestion.split()) > 1 and compound_around(finding, text):
            return None  # "a BGP misconfiguration": the whole phrase needs rewording, not a definition pasted in
        return fitted(text, finding.start, finding.end, suggestion)
    if kind == "delete":
        partial = drop_words(text, finding.start, finding.end, rewrite.words) if rewrite.words else None
        edit = partial or deletion(text, finding.start, finding.end)
        # a reply that is nothing but the passage ("obviously") would be left empty: nothing to send
        return edit if _WORD.search(text[:edit.start] + edit.text + text[edit.end:]) else None
    if kind == "calm":
        return calm(text, finding.start, finding.end)
    if kind == "please":
        return please(text, finding.start, finding.end, rewrite.words)
    if kind == "active":
        return active(finding, text)
    if kind in ("mask", "sentence") and rewrite.text is not None:
        digits = re.sub(r"\D", "", quote)
        filled = rewrite.text.format_map(defaultdict(str, {**values, "quote": quote, "suggestion": suggestion,
                                                           "last_four": digits[-4:]}))
        if kind == "mask":
            kept = max((quote.rfind(sep) + len(sep) for sep in rewrite.keep_before if sep in quote), default=0)
            if not sendable.looks_like_secret(quote[kept:]):
                return None  # "passcode is forgotten": nothing secret to take out
            return Edit(finding.start + kept, finding.end, _without_echo(text[:finding.start + kept], filled))
        start, end = sentence_bounds(text, finding.start, finding.end)
        return Edit(start, end, filled)
    if kind == "phrases":
        if phrase_key(quote) in rewrite.clauses:
            clause = _trailing_clause(text, finding)
            if clause is not None:
                return clause
        replacement = rewrite.replacement_for(quote)
        if replacement == "":
            return deletion(text, finding.start, finding.end)
        if replacement is not None:
            _, closing = sentence_bounds(text, finding.start, finding.end)
            if rewrite.lone_clause and re.search(r"[,;:]", text[finding.end:closing]):
                return None
            return fitted(text, finding.start, finding.end, replacement)
        tail = _known_tail(quote, rewrite)
        if tail is not None:  # "thats not up for discussion": the known words at its end are rewritten
            words, replacement = tail
            opener = _OPENERS.get(" ".join(quote[:len(quote) - len(words)].lower().split()))
            if not replacement or opener is None:
                return None
            return fitted(text, finding.start, finding.end, f"{opener} {replacement}")
        return _replacement(finding, rewrite, rewrite.otherwise, text, values, others)
    return None


def _whole_sentence(text: str, finding: Finding, replacement: str, others: Iterable[Finding] = ()) -> Edit | None:
    """The sentence around the passage replaced, when the passage is most of it ("Unfortunately
    there is nothing we can do."): a longer sentence says more than the replacement would keep.
    Words other findings flag in the sentence ("As I already said, this is user error") don't count:
    they are to go anyway."""
    opening, closing = sentence_bounds(text, finding.start, finding.end)
    if "\n" in text[opening:closing]:
        return None
    rest = list(text[opening:closing])
    for other in (finding, *others):
        if other.start < other.end and opening <= other.start and other.end <= closing:
            rest[other.start - opening:other.end - opening] = " " * (other.end - other.start)
    rest = "".join(rest)
    if len(_WORD.findall(rest)) > _WHOLE_SENTENCE_EXTRA_WORDS:
        return None
    return Edit(opening, closing, replacement)


def _sentence_out(text: str, finding: Finding) -> Edit | None:
    """The sentence the passage opens taken out ("You should have saved it first."): only when the
    passage opens it, so the sentence is about what the customer did, and other sentences remain."""
    opening, closing = sentence_bounds(text, finding.start, finding.end)
    if finding.start != opening or "\n" in text[opening:closing]:
        return None
    paragraph_start = text.rfind("\n", 0, opening) + 1
    paragraph_end = text.find("\n", closing)
    paragraph = text[paragraph_start:len(text) if paragraph_end == -1 else paragraph_end]
    if not _WORD.search(paragraph.replace(text[opening:closing], "")):
        return None  # the sentence is the whole paragraph: nothing would be left to say what fixes it
    return deletion(text, opening, closing - len(text[opening:closing]) + len(text[opening:closing].rstrip(".!?")))


def _trailing_clause(text: str, finding: Finding) -> Edit | None:
    """", any user can figure it out" taken out of "The app is easier, any user can figure it out.":
    the passage opens the sentence's last clause, after a comma."""
    _, closing = sentence_bounds(text, finding.start, finding.end)
    comma = re.search(r",[ \t]*\Z", text[:finding.start])
    if comma is None:
        return None
    end = len(text[:closing].rstrip(".!?"))
    if end <= finding.end or re.search(r"[,;:]", text[finding.end:end]):
        return None
    return Edit(comma.start(), end, "")


def _known_tail(quote: str, rewrite: Rewrite) -> tuple[str, str] | None:
    """The longest phrase of the map the passage ends with, as (its words in the passage, replacement)."""
    lowered = quote.lower().replace("’", "'")
    for key, replacement in sorted(rewrite.phrases, key=lambda pair: -len(pair[0])):
        if lowered.endswith(" " + key) and " ".join(lowered.split()).endswith(key):
            return quote[len(quote) - len(key):], replacement
    return None


def _paragraphs(report: Report) -> bool:
    """Whether a drafted last sentence gets its own paragraph: in a reply laid out in paragraphs or
    lines, or one long enough that another sentence would make it a wall of text."""
    return "\n" in report.text.strip() or report.metrics.get("sentences", 0) >= _INLINE_SENTENCES


def _signature(text: str) -> int | None:
    """Where a bare signature starts: a last paragraph of one short line with no punctuation
    ("Alex", "Kai Jensen"), which a drafted closing or last sentence must go before."""
    body = text.rstrip()
    paragraph_start = body.rfind("\n\n") + 2
    last = body[paragraph_start:] if paragraph_start >= 2 else ""
    if last and "\n" not in last.strip() and len(last.split()) <= _SIGNATURE_WORDS and not _PUNCTUATED.search(last):
        return paragraph_start + len(last) - len(last.lstrip())
    return None


@dataclass(frozen=True)
class _Anchor:
    start: int
    end: int


def greetings_in(report: Report, templates: Templates) -> list[Evidence | _Anchor]:
    """The greeting the analysers found, else an opening line like "Hi Maria," or "Hey,"."""
    found = [e for e in report.evidence if e.rule in templates.greeting_rules]
    if found:
        return found
    line = templates.greeting_line.match(report.text)
    if line is None:
        return []
    start = len(line.group(0)) - len(line.group(0).lstrip())
    return [_Anchor(start, line.end() - 1)]


def closings_in(report: Report, templates: Templates) -> list[Evidence | _Anchor]:
    """The sign-off the analysers found, else a line like "Best regards," near the end (with at
    most a short name under it)."""
    found = [e for e in report.evidence if e.rule in templates.closing_rules]
    if found:
        return found
    text = report.text.rstrip()
    for line in reversed(list(templates.closing_line.finditer(text))):
        after = text[line.end():].strip()
        if len(after.split()) <= _SIGNATURE_WORDS and "\n" not in after:
            start = line.start() + len(line.group(0)) - len(line.group(0).lstrip())
            return [_Anchor(start, start + len(line.group(0).strip()))]
    return []


def insertion_point(report: Report, templates: Templates, place: str, layout: str) -> tuple[int, str, str]:
    """Where a drafted sentence goes, and the spacing before and after it.

    Uses the greeting and sign-off the analysers found (report.evidence) to put an acknowledgement
    after the greeting line and a next step before the sign-off.
    """
    text = report.text
    body_start = len(text) - len(text.lstrip())
    body_end = len(text.rstrip())
    if place == "after-acknowledgement":
        position, lead, trail = insertion_point(report, templates, "after-greeting", layout)
        return _after_acknowledgement(report, templates, position, layout) or (position, lead, trail)
    if place == "after-greeting":
        greetings = greetings_in(report, templates)
        if greetings:
            greeting = min(greetings, key=lambda e: (e.start, e.end))
            line_end = text.find("\n", greeting.end)
            line_end = len(text) if line_end == -1 else line_end
            sentence_end = _SENTENCE_END.search(text, greeting.end, line_end)
            if sentence_end:
                return sentence_end.end(), "", " "
            if len(text[greeting.end:line_end].split()) <= _GREETING_LINE_WORDS:
                following = _NON_SPACE.search(text, line_end)
                if following is None:
                    return body_end, "\n\n", ""
                return following.start(), "", "\n\n" if layout == "line" else " "
            return len(text[:line_end].rstrip()), " ", ""
        place = "start"
    if place == "start":
        return body_start, "", "\n\n" if layout == "line" else " "
    if place == "before-closing":
        closings = closings_in(report, templates)
        if closings:
            closing = max(closings, key=lambda e: (e.start, e.end))
            line_start = text.rfind("\n", 0, closing.start) + 1
            if line_start > body_start and not text[line_start:closing.start].strip():
                return line_start, "", "\n\n" if "\n\n" in text.strip() else "\n"
            if closing.start > body_start:
                return closing.start, "", " "
    signature = _signature(text)
    if signature is not None:
        return signature, "", "\n" if layout == "line" else "\n\n"
    inline = _INLINE_SIGNATURE.search(text.rstrip())
    if inline:  # "... at the time. Noah": the drafted lines go on their own lines before the name
        return inline.start(1), "\n\n", "\n" if layout == "line" else "\n\n"
    separator = "\n\n" if layout == "line" or _paragraphs(report) else " "
    return body_end, separator, ""


def _after_acknowledgement(report: Report, templates: Templates, position: int,
                           layout: str) -> tuple[int, str, str] | None:
    """Past the sentences that open the reply by thanking or acknowledging the customer ("Thanks for
    letting us know ...", "I'm sorry ..."), from `position` (after the greeting): an answer goes
    after them, as a lead writes it. A paragraph of its own when they end theirs, else a sentence
    after them; None when the reply opens with no such sentence."""
    text = report.text
    opening_spans = [(e.start, e.end) for e in report.evidence if e.rule in templates.acknowledgement_rules]
    end = None
    while True:
        first = _NON_SPACE.search(text, position)
        if first is None:
            break
        opening, closing = sentence_bounds(text, first.start(), first.start() + 1)
        if closing <= opening or not any(opening <= start < closing for start, _ in opening_spans):
            break
        end = position = closing
    if end is None:
        return None
    following = _NON_SPACE.search(text, end)
    if following is None:
        return None
    if "\n" in text[end:following.start()]:
        return following.start(), "", "\n\n" if layout == "line" else " "
    return following.start(), "", " "


def _contradicted(text: str, rewrite: Rewrite) -> tuple[int, int] | None:
    """The first sentence of the reply a drafted sentence would contradict, as (start, end)."""
    for pattern in rewrite.replaces:
        found = pattern.search(text)
        if found:
            return sentence_bounds(text, found.start(), found.end())
    return None


def _placed_already(sentence: str, text: str) -> bool:
    """Whether a drafted sentence that is only a placeholder ("[answer 'Why are we paying for the
    rest']") is in the text already, said with more words ("[answer 'Why are we paying for the
    rest' without blame]", left where a change took the answer out)."""
    (placeholder, *more) = find_placeholders(sentence) or [None]
    if placeholder is None or more or placeholder.text != sentence.strip():
        return False
    opening = placeholder.text[:-1] + " "
    return any(found.text.startswith(opening) for found in find_placeholders(text))


def _insert(report: Report, templates: Templates, template: RuleTemplate, values: dict[str, str],
            variants: tuple[str, ...]) -> Edit | None:
    rewrite = template.rewrite
    sentence = render(rewrite.draft.pick(variants), values)
    if find_placeholders(sentence) and (sentence in report.text or _placed_already(sentence, report.text)):
        return None  # taken already and not yet filled in: the placeholder is flagged, not offered twice
    conflict = _contradicted(report.text, rewrite)
    if conflict is not None:
        start, end = conflict
        note = render(templates.replaces, {"quote": report.text[start:end]})
        return Edit(start, end, sentence, rewrite.order, note=note, whole_sentence=True)
    position, lead, trail = insertion_point(report, templates, rewrite.place or "end", rewrite.layout)
    if lead == " " and re.search(r"\w\Z", report.text[:position].rstrip()):
        lead = ". "  # "done, it's unlocked now" gets its full stop before the next sentence
    if rewrite.sign and _signature(report.text) is None and not _INLINE_SIGNATURE.search(report.text.rstrip()):
        sentence += "\n" + templates.signature
    return Edit(position, position, lead + sentence + trail, rewrite.order, lead, trail,
                joinable=rewrite.layout == "sentence")


def edit_for(finding: Finding, report: Report, templates: Templates, template: RuleTemplate,
             values: dict[str, str], variants: tuple[str, ...]) -> Edit | None:
    """The rewrite of one finding, or None when no concrete rewrite can be made from its data or
    when the sentence would no longer read."""
    rewrite = template.rewrite
    if rewrite.kind == "insert" and finding.start == finding.end:
        # the customer's question, for a placeholder where only the agent knows the answer
        values = {**values, "question": questions.answer_placeholder(finding)}
        return _insert(report, templates, template, values, variants)
    kind = rewrite.otherwise if rewrite.kind == "insert" else rewrite.kind
    if kind == "phrases" and finding.start < finding.end:
        whole = _sentence_edit(finding, report, templates, rewrite)
        if whole is not False:
            return whole
    if kind == "split":
        splits = split_edits(finding, report.text)
        return splits[0] if splits else None
    if kind == "suggestion" and rewrite.whole_phrases:
        step = plain_phrases.step_around(report.text, finding.start, finding.end)
        if step is not None:  # "flush your DNS cache": no plain words make it a step they can follow
            return _step_placeholder(report.text, *step, templates)
        phrase = plain_phrases.around(report.text, finding.start, finding.end)
        if phrase is not None:  # "a BGP misconfiguration" -> "a mistake in the network settings"
            edit = fitted(report.text, *phrase)
            # a vetted phrase for a phrase: the sentence must still parse, the words' jobs may change
            return edit if reads_well(edit, report.text, swap=False) else None
    edit = _replacement(finding, rewrite, kind, report.text, values, report.findings)
    if edit is None and kind == "suggestion" and rewrite.whole_phrases:
        return _reword_placeholder(finding, report.text, templates)
    if edit is None:
        return None
    if kind == "sentence":
        start = after_greeting(report, templates, edit.start, edit.end)
        text = edit.text if start == edit.start or edit.text[:2] == "I " else edit.text[:1].lower() + edit.text[1:]
        note = render(templates.rewrites_sentence, {"quote": report.text[start:edit.end].rstrip(".!?")})
        return Edit(start, edit.end, text, edit.order, note=note, whole_sentence=True)
    if kind == "mask":
        return edit  # the templates' own wording
    if "\n" in report.text[edit.start:edit.end]:
        return None  # a rewrite that reaches into the line before (a greeting) garbles both
    # a misspelt word has no reliable part of speech to compare with: a correction is checked as a sentence only
    swap = kind == "suggestion" and rewrite.safe is None
    # a placeholder is parsed as the words it stands for
    checked = Edit(edit.start, edit.end, rewrite.stand_in) if rewrite.stand_in else edit
    if not reads_well(checked, report.text, swap):
        # a passage taken out may leave a stump or nothing: the short sentence goes whole ("Just read
        # the guide." is all put-down)
        deleted = kind == "delete" or (kind == "phrases" and not edit.text)
        return _short_sentence_gone(finding, report.text) if deleted else None
    if rewrite.safe == "checker":
        return Edit(edit.start, edit.end, edit.text, edit.order, note=edit.note, needs_neighbours=True)
    if swap:
        edit = _finite_clause(edit, report.text)
        if edit is None:
            return None
    return _with_article(edit, report.text) if swap else edit


def _finite_clause(edit: Edit, text: str) -> Edit | None:
    """A preposition swapped for a conjunction before a passive gerund: "subsequent to the approval
    being given" -> "after the approval is given" ("after the approval being given" is no English),
    in the tense of the sentence. The edit as it is when there is no gerund after it; None when the
    gerund can't be made finite or the result doesn't parse as a clause ("in accordance with the
    policy being applied" -> "under the policy being applied" is left alone)."""
    opening, closing = parse_window(text, edit.start, edit.end)
    found = sendable.gerund_passive(text[opening:closing], edit.start - opening, edit.end - opening)
    if found is None:
        return edit
    being_start, being_end, be = found
    if be is None:
        return None
    extended = Edit(edit.start, opening + being_end, edit.text + text[edit.end:opening + being_start] + be,
                    edit.order, note=edit.note)
    after = text[opening:edit.start] + extended.text + text[extended.end:closing]
    start = edit.start - opening
    if not sendable.opens_a_passive_clause(after, start, start + len(edit.text), start + len(extended.text) - len(be)):
        return None
    return extended


def _sentence_edit(finding: Finding, report: Report, templates: Templates, rewrite: Rewrite) -> Edit | None | bool:
    """A `phrases` rewrite that works on the whole sentence: its `sentences` entry for the passage,
    or (otherwise: drop-sentence) the sentence the passage opens taken out. False when neither
    applies and the passage's own words are rewritten instead."""
    text = report.text
    if rewrite.asked_step is not None and rewrite.asked_step.asks(finding.text):
        return _asked_step_edit(finding, report, rewrite.asked_step)
    whole = rewrite.sentence_for(finding.text)
    if whole == "":  # "This is user error.": the sentence says nothing else, and goes
        edit = _whole_sentence(text, finding, "", report.findings)
        if edit is None:
            return None
        opening, closing = edit.start, edit.end
        edit = deletion(text, opening, closing - len(text[opening:closing]) + len(text[opening:closing].rstrip(".!?")))
        note = render(templates.drops_sentence, {"quote": text[opening:closing].rstrip(".!?")})
        return Edit(edit.start, edit.end, edit.text, note=note, whole_sentence=True)
    if whole is not None:
        edit = _whole_sentence(text, finding, whole, report.findings)
        if edit is None:
            return None
        start = after_greeting(report, templates, edit.start, edit.end)
        replacement = edit.text if start == edit.start or edit.text[:2] == "I " else edit.text[:1].lower() + edit.text[1:]
        note = render(templates.rewrites_sentence, {"quote": text[start:edit.end].rstrip(".!?")})
        return Edit(start, edit.end, replacement, note=note, whole_sentence=True)
    if rewrite.otherwise == "drop-sentence" and rewrite.replacement_for(finding.text) is None:
        edit = _sentence_out(text, finding)
        if edit is None:
            return None
        opening, closing = sentence_bounds(text, finding.start, finding.end)
        note = render(templates.drops_sentence, {"quote": text[opening:closing].rstrip(".!?")})
        return Edit(edit.start, edit.end, edit.text, note=note, whole_sentence=True)
    return False


def _leaning_sentence_end(text: str, end: int, asked: AskedStep) -> int:
    """Where a short sentence right after the question that only leans on it ends ("Have you tried
    restarting it? That usually fixes it."), else `end`: it means nothing once the question goes."""
    following = re.compile(r"[ \t]+(?=\S)").match(text, end)
    if following is None:
        return end
    opening, closing = sentence_bounds(text, following.end(), following.end() + 1)
    words = _WORD.findall(text[opening:closing])
    if (opening != following.end() or not words or len(words) > _STUMP_WORDS or "\n" in text[opening:closing]
            or words[0].lower() not in asked.leaning or any(w.isdigit() for w in words)):
        return end
    return closing


def _asked_step_edit(finding: Finding, report: Report, asked: AskedStep) -> Edit | None:
    """"Have you tried clearing your cache and restarting your computer? That usually fixes it." to
    a developer reporting 502s: the stock step (and the sentence leaning on it) gives way to a
    placeholder for a step that fits what they reported, or simply goes where the reply is drafted
    a placeholder for the answer to their question and the question opens its sentence."""
    text = report.text
    if text[finding.end - 1:finding.end] != "?":
        return None
    end = _leaning_sentence_end(text, finding.end, asked)
    quote = voice.short(" ".join(finding.text.split()).rstrip("?"))
    covered = any(f.rule == asked.covered_by for f in report.findings)
    if covered and _opens_sentence(text, finding.start):
        edit = deletion(text, finding.start, len(text[:end].rstrip(".!?")))
        start, stop = edit.start, edit.end
        if text[:start].endswith("\n") and text[stop:stop + 1] == "\n":
            # the question was a paragraph of its own: its paragraph break goes with it
            following = _NON_SPACE.search(text, stop)
            if following is not None:
                stop = following.start()
            else:
                start = len(text[:start].rstrip())
        return Edit(start, stop, "", note=render(asked.dropped_note, {"quote": quote}), whole_sentence=True)
    return Edit(finding.start, end, asked.text, note=render(asked.replaced_note, {"quote": quote}), whole_sentence=True)


def split_edits(finding: Finding, text: str) -> list[Edit]:
    """A long sentence that is a sequence of steps laid out as a numbered list (one edit), else split
    where its clauses meet (", and files were..." -> ". Files were..."): one edit per place. Each
    result is parsed again (coach/feedback/sendable.py)."""
    opening, closing = sentence_bounds(text, finding.start, finding.end)
    opening, closing = min(opening, finding.start), max(closing, finding.end)
    if text[finding.end - 1:finding.end] in (".", "!", "?"):
        closing = finding.end  # "... at the time. Noah": the name after the sentence is no part of it
    sentence = text[opening:closing]
    listed = step_list(text, opening, closing)
    if listed is not None:
        return [listed]
    return [_split_edit(text, opening + start, opening + end, replacement)
            for start, end, replacement in sendable.clause_splits(sentence)]


def _split_edit(text: str, start: int, end: int, replacement: str) -> Edit:
    """", and the department will" -> ". The department will": when the split only gives the next
    word its capital, the edit ends before that word (capitalise_next), so a rewrite of the clause
    that starts there ("the department will carry out ...") can be taken with it."""
    word = replacement[2:]
    if replacement.startswith(". ") and word and text[end - len(word):end] != word \
            and _capitalise(text[end - len(word):end]) == word:
        return Edit(start, end - len(word), ". ", capitalise_next=True)
    return Edit(start, end, replacement)


def step_list(text: str, opening: int, closing: int) -> Edit | None:
    """The sentence text[opening:closing] as numbered steps on lines of their own, or None when it
    is not a sequence of steps. A greeting that opens the sentence ("Hi Grace, to get...") stays on
    its own line; the list is a paragraph of its own."""
    sentence = text[opening:closing]
    greeting = load_templates().greeting_line.match(sentence)
    body_start = greeting.end() if greeting else 0
    body_start += len(sentence[body_start:]) - len(sentence[body_start:].lstrip())
    steps = sendable.numbered_steps(sentence[body_start:])
    if steps is None:
        return None
    listed = "\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1))
    if greeting:
        listed = sentence[:greeting.end()].strip() + "\n\n" + listed
    start, end = opening, closing
    before = text[:opening].rstrip(" \t")
    if before and not before.endswith("\n"):
        start, listed = len(before), "\n\n" + listed  # the sentences before it stay a paragraph
    after = re.match(r"[ \t]*", text[closing:])
    if closing + after.end() < len(text) and text[closing + after.end()] != "\n":
        end, listed = closing + after.end(), listed + "\n\n"  # so do the ones after it
    return Edit(start, end, listed)


def _short_sentence_gone(finding: Finding, text: str) -> Edit | None:
    """When taking the passage out leaves a stump ("its not hard, just."), a short sentence that is
    mostly the passage goes as a whole."""
    opening, closing = sentence_bounds(text, finding.start, finding.end)
    if len(_WORD.findall(text[opening:closing])) > _STUMP_WORDS:
        return None
    return deletion(text, opening, len(text[opening:closing].rstrip(".!?")) + opening)


def _with_article(edit: Edit, text: str) -> Edit:
    """A term used bare ("disable MFA", "with second-line support") swapped for a singular noun
    phrase gets "the"."""
    if edit.text[:1].isupper() or len(edit.text.split()) < 2:
        return edit
    opening, closing = parse_window(text, edit.start, edit.end)
    after = text[opening:edit.start] + edit.text + text[edit.end:closing]
    start = edit.start - opening
    if sendable.wants_article(after, start, start + len(edit.text)):
        return Edit(edit.start, edit.end, "the " + edit.text, edit.order, note=edit.note)
    return edit


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return False
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def select(edits: Iterable[Edit]) -> list[Edit]:
    """Keep edits in the given (priority) order, dropping any that overlaps one already kept;
    one insert per place and sentence (two rules may draft the same sentence)."""
    kept: list[Edit] = []
    for edit in edits:
        if any(_overlaps(edit, other) or (edit.start == edit.end == other.start == other.end
                                         and edit.body == other.body) for other in kept):
            continue
        kept.append(edit)
    return kept


def merge_inserts(edits: list[Edit]) -> list[Edit]:
    """Sentences drafted for one place become one passage: "Next step. Time frame." not two paragraphs."""
    inserts: dict[int, list[Edit]] = {}
    others = []
    for edit in edits:
        if edit.start == edit.end:
            inserts.setdefault(edit.start, []).append(edit)
        else:
            others.append(edit)
    merged = []
    for position, group in inserts.items():
        group.sort(key=lambda e: (e.order, e.text))
        text = ""
        for index, edit in enumerate(group):
            previous = group[index - 1] if index else None
            if (previous is not None and previous.joinable and edit.joinable
                    and (previous.lead, previous.trail) == (edit.lead, edit.trail)):
                # same spacing: join as sentences of one paragraph
                text = text[:len(text) - len(edit.trail)] + " " + edit.body + edit.trail
            else:
                text += edit.text
        # two drafted passages that each open a paragraph: one blank line between them, not two
        merged.append(Edit(position, position, re.sub(r"\n{3,}", "\n\n", text), group[0].order))
    return others + merged


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (see select) from the end, so earlier offsets stay valid."""
    chosen = merge_inserts(select(edits))
    # two neighbouring sentences taken out may leave the space between them at the end of a line
    tidy = len(chosen) > 1 and not _TRAILING_SPACE.search(text)
    # a list made a paragraph of its own, then a sign-off drafted after it: one blank line between
    spaced = "\n\n\n" not in text
    for edit in sorted(chosen, key=lambda e: (e.start, e.end), reverse=True):
        after = text[edit.end:]
        if edit.capitalise_next:
            after = _capitalise(after)
        text = text[:edit.start] + edit.text + after
    if spaced:
        text = re.sub(r"\n{3,}", "\n\n", text)
    return _TRAILING_SPACE.sub("", text) if tidy else text
