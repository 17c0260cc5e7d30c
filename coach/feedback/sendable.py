"""Whether a word-level rewrite leaves a sentence the agent could send.

The feedback never analyses the reply; it does check its own output. A swap is rejected when:
- the passage sits inside a noun compound or a name ("BGP misconfiguration", "core router",
  "Microsoft Teams") and the plain alternative is more than one word: pasting a definition there
  reads as nonsense ("a routing between internet providers misconfiguration");
- the revised sentence, parsed again, no longer has the replacement doing the passage's job (a noun
  that was the object is now a verb, or the sentence falls apart into two);
- it is a spelling correction that is not a slip of the keyboard ("shud" -> "shed" is a guess).

A long sentence is split only where two clauses meet, and each part must parse as a sentence of its
own (`clause_splits`).

Sentences are parsed with the one shared pipeline (coach.nlp); each distinct sentence once.
"""
from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span, Token

from wordfreq import zipf_frequency

from coach.nlp import load_nlp

# coarse roles: a swap must keep its head in the same one
_ROLE_OF_POS = {"NOUN": "noun", "PROPN": "noun", "PRON": "noun", "NUM": "noun", "X": "noun",
                "VERB": "verb", "AUX": "verb", "ADJ": "adj", "ADV": "adv"}
_COMPOUND_DEPS = ("compound", "nmod")
# a word at least this frequent (wordfreq zipf) is an ordinary word, not a password
_COMMON_ZIPF = 3.0
_NAME_ENTITIES = ("ORG", "PRODUCT", "PERSON", "GPE", "FAC", "WORK_OF_ART", "EVENT")


@functools.lru_cache(maxsize=2048)
def _parse(sentence: str) -> Doc:
    """The sentence's tags, parse and lemmas. Not its entities: the entity recogniser is the last
    step and about 40% of the parse, and only compound_around reads them (_with_entities)."""
    nlp = load_nlp()
    return nlp(sentence, disable=[name for name in ("ner",) if name in nlp.pipe_names])


def _with_entities(doc: Doc) -> Doc:
    """`doc` with its entities, recognised now if not yet (the same as a parse with every step)."""
    nlp = load_nlp()
    if "ner" in nlp.pipe_names and not doc.has_annotation("ENT_IOB"):
        nlp.get_pipe("ner")(doc)
    return doc


def _span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand") if end > start else None


def _head(span: Span) -> Token:
    """The token of the span whose head lies outside it (the span's syntactic head)."""
    for token in span:
        if token.head.i < span.start or token.head.i >= span.end or token.head is token:
            return token
    return span.root


def _role(token: Token) -> str:
    return _ROLE_OF_POS.get(token.pos_, token.pos_.lower())


def compound_around(sentence: str, start: int, end: int, adjectives: bool = False) -> tuple[int, int] | None:
    """The noun compound or name sentence[start:end] sits in ("BGP misconfiguration", "core
    router"), as character offsets, or None when it stands alone: the places where a several-word
    replacement garbles the phrase. With `adjectives`, an adjective before it counts too ("heavy
    packet loss"): the place where a replacement longer than a short noun phrase garbles it."""
    doc = _with_entities(_parse(sentence))
    span = _span(doc, start, end)
    if span is None:
        return None
    inside = range(span.start, span.end)
    tokens = set(inside)
    for token in span:
        if token.dep_ in _COMPOUND_DEPS and token.head.i not in inside and token.head.i > token.i:
            head = token.head
            tokens |= {head.i} | {c.i for c in head.children if c.dep_ in _COMPOUND_DEPS}
        tokens |= {c.i for c in token.children if c.dep_ in _COMPOUND_DEPS}
    for entity in doc.ents:
        if entity.label_ in _NAME_ENTITIES and entity.start <= span.start and span.end <= entity.end:
            tokens |= set(range(entity.start, entity.end))
    if adjectives:  # "heavy packet loss", "a stale Kerberos ticket cache": a phrase put after the adjective garbles
        tokens |= {c.i for i in tokens for c in doc[i].children if c.dep_ == "amod" and c.i < min(tokens)}
    if tokens == set(inside):
        return None
    return doc[min(tokens)].idx, doc[max(tokens)].idx + len(doc[max(tokens)])


def _verb_rooted(doc: Doc) -> list[bool]:
    return [sentence.root.pos_ in ("VERB", "AUX") for sentence in doc.sents]


def _drops_a_subject(span: Span) -> bool:
    """Whether the passage holds the subject of a verb outside it ("any user can | figure it out"):
    taking it out leaves an order, not a statement."""
    inside = range(span.start, span.end)
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i not in inside for t in span)


_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "npadvmod", "dative", "oprd",
                           "conj", "ROOT"})
_CLAUSAL_DEPS = frozenset({"ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp"})
_PREDICATE_DEPS = ("attr", "acomp")
_DANGLING_POS = ("ADP", "DET", "CCONJ", "SCONJ", "AUX", "PART")
_DANGLING_WORDS = ("just", "simply", "only", "please")


def _dangles(doc: Doc) -> bool:
    """Whether a sentence now ends on a word that needs something after it ("its not hard, just.")."""
    words = [t for t in doc if not t.is_punct and not t.is_space]
    return bool(words) and (words[-1].pos_ in _DANGLING_POS or words[-1].lower_ in _DANGLING_WORDS)


def still_reads(before: str, start: int, end: int, after: str, new_end: int, swap: bool) -> bool:
    """Whether `after` (the sentence `before` with [start:end] rewritten as after[start:new_end])
    still parses as a sentence: no more sentences than before, each still built on a verb where it
    was. A word `swap` must also keep the passage's job: its head in the same role (noun for noun,
    verb for verb) and relation (object for object)."""
    old_doc, new_doc = _parse(before), _parse(after)
    old_sentences, new_sentences = _verb_rooted(old_doc), _verb_rooted(new_doc)
    if len(new_sentences) > len(old_sentences) or (any(old_sentences) and not any(new_sentences)):
        return False
    old, new = _span(old_doc, start, end), _span(new_doc, start, new_end)
    if old is not None and new is None and (_drops_a_subject(old) or _dangles(new_doc)):
        return False
    if not swap or old is None or new is None:
        return True
    if _prepositional(old) and _prepositional(new):
        return True  # "subsequent to the approval" -> "after the approval": a preposition for a preposition
    old_head, new_head = _head(old), _head(new)
    if _adverbial(old_head, new_head) or _quantifier(old, new_head):
        return True
    if _role(old_head) != _role(new_head):
        # "The ETA is TBD" -> "is not decided yet": a predicate may become an adjective or a verb
        return old_head.dep_ in _PREDICATE_DEPS and _role(new_head) in ("adj", "verb")
    if old_head.dep_ == new_head.dep_:
        return True
    # the parser labels acronyms loosely ("ETA for resolution" as npadvmod): any noun job for a noun
    group = _NOMINAL_DEPS if _role(old_head) == "noun" else _CLAUSAL_DEPS
    return {old_head.dep_, new_head.dep_} <= group


def _adverbial(old_head: Token, new_head: Token) -> bool:
    """A phrase that says how often or when, for an adverb that says it ("restart it on a regular
    basis" -> "regularly"): both hang on the same word."""
    return (old_head.pos_ == "ADP" and old_head.dep_ == "prep" and new_head.pos_ == "ADV"
            and new_head.dep_ == "advmod" and old_head.head.lower_ == new_head.head.lower_)


def _quantifier(old: Span, new_head: Token) -> bool:
    """An amount said with "of" before a bare noun, for a word that counts it ("a large number of
    files" -> "many files"); not before a determiner ("a large number of the files" -> "many the
    files" is no English)."""
    last = old[-1]
    objects = [c for c in last.children if c.dep_ == "pobj" and c.i >= old.end] if last.lower_ == "of" else []
    noun = new_head.head
    return (bool(objects) and new_head.dep_ in ("amod", "det") and noun.i > new_head.i
            and noun.lower_ == objects[0].lower_
            and not any(c.dep_ in ("det", "poss") and c.i != new_head.i for c in noun.children))


def _prepositional(span: Span) -> bool:
    """A passage that ends in a preposition whose object follows it ("subsequent to | the approval",
    "in accordance with | the policy", "after | the approval"): whatever the parser makes of its
    first words, it does a preposition's job; so does one opening the clause after it ("after |
    the approval being obtained")."""
    last = span[-1]
    return (last.pos_ == "ADP" and any(c.dep_ == "pobj" and c.i >= span.end for c in last.children)) \
        or (last.dep_ == "mark" and last.head.i >= span.end)


def wants_article(sentence: str, start: int, end: int) -> bool:
    """Whether the noun phrase at sentence[start:end] (a plain alternative just put in place of a
    bare term: "disable MFA" -> "disable second sign-in check") is a singular noun with nothing
    to introduce it, so it needs "the"."""
    doc = _parse(sentence)
    span = _span(doc, start, end)
    if span is None or len(span) < 2:
        return False
    head = _head(span)
    introduced = span[0].pos_ in ("DET", "NUM", "PRON") or any(
        child.dep_ in ("det", "poss", "nummod") for token in span for child in token.children)
    before = doc[span.start - 1] if span.start > 0 else None
    # "the PIN or | face sign-in": the first of the pair's article covers both
    coordinated = head.dep_ == "conj" or (before is not None and before.pos_ == "CCONJ")
    return head.tag_ == "NN" and not introduced and not coordinated \
        and (before is None or before.pos_ not in ("DET", "PRON", "NUM"))


def looks_like_secret(value: str) -> bool:
    """Whether a passage to be masked holds something secret-shaped (a digit, a symbol, a rare
    string), not ordinary words: "Spring2024!" is masked, "is forgotten" is a sentence to leave."""
    words = re.findall(r"\S+", value)
    return any(re.search(r"[\d\W_]", w.strip(".,;:")) or zipf_frequency(w.strip(".,;:").lower(), "en") < _COMMON_ZIPF
               for w in words)


def everyday_word(word: str) -> bool:
    """Whether a word in capitals is an everyday word shouted ("SEATS"), not an abbreviation ("VPN")."""
    return zipf_frequency(word.lower(), "en") >= _COMMON_ZIPF and len(word) > 3


def _one_edit_apart(word: str, correction: str) -> str | None:
    """How `word` becomes `correction` with one keyboard slip, or None."""
    if len(word) == len(correction):
        diffs = [i for i, (a, b) in enumerate(zip(word, correction)) if a != b]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and word[diffs[0]] == correction[diffs[1]] \
                and word[diffs[1]] == correction[diffs[0]]:
            return "transposition"
        return None
    shorter, longer = sorted((word, correction), key=len)
    if len(longer) - len(shorter) != 1:
        return None
    for index in range(len(longer)):
        if longer[:index] + longer[index + 1:] == shorter:
            return "missing" if longer is correction else "extra"
    return None


def safe_typo(word: str, correction: str) -> bool:
    """A correction the agent can take without reading it twice: only the case differs, two
    neighbouring letters were swapped ("teh", "recieve"), a letter is missing or doubled
    ("happend", "untill"), or an apostrophe is missing ("dont"). A changed letter ("shud" -> "shed")
    is a guess at what was meant, and words of three letters or fewer are too short to tell."""
    if word.lower() == correction.lower():
        return True
    if correction.replace("'", "").replace("’", "") == word and correction.count("'") + correction.count("’") == 1:
        return True
    if len(word) <= 3 and not (len(word) == 3 and _one_edit_apart(word.lower(), correction.lower()) == "transposition"):
        return False
    return _one_edit_apart(word.lower(), correction.lower()) is not None


# where a long sentence may be split: before "and", "but" or "so" that joins two clauses
_SPLIT_AT = ("and", "but", "so")
# a clause these open says "but" ("although it may take some time"): it can be a sentence of its own,
# opening with this word (the only word a split writes that the sentence didn't have)
_CONCESSIVE = frozenset({"although", "though"})
CONCESSIVE_OPENER = "But"
# ", which means ..." ending a sentence can be a sentence of its own opening with this word
RELATIVE_OPENER = "This"
# "and" before one of these opens a new clause about what happens next ("and after it's installed ...")
_TIME_OPENERS = frozenset({"after", "once", "when", "afterwards"})
# each part of a split sentence has at least this many words, so no stump is left
_MIN_PART_WORDS = 5
_WORDS = re.compile(r"[\w'’-]+")


# words that open a clause of condition or time, which an "and" right after it may continue
_CONDITIONS = frozenset({"once", "when", "if", "until", "after", "before", "unless", "whenever", "as"})


def _ends_a_condition(conjunction: Token) -> bool:
    """Whether the "and" comes right after a clause of condition or time ("once it is installed and
    you have restarted it"): the parser may join the second half to the main verb, but both belong
    to "once", and a split would state as done what is still to do."""
    before = conjunction.doc[conjunction.i - 1] if conjunction.i > 0 else None
    if before is None or before.is_punct:
        return False
    clause = before
    while clause.head is not clause and clause.dep_ not in ("advcl", "ROOT"):
        clause = clause.head
    return clause.dep_ == "advcl" and clause.right_edge.i == before.i \
        and any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in clause.children)


def _own_clause(conj: Token) -> bool:
    """Whether a conjoined verb can open a sentence of its own: it has its own subject ("and files
    were modified"), or it is a step told with "then" ("and then open it")."""
    if any(child.dep_ in ("nsubj", "nsubjpass", "expl") for child in conj.children):
        return True
    return conj.tag_ == "VB" and any(child.lower_ == "then" and child.i < conj.i for child in conj.children)


def _keeps_the_head(part: str, doc: Doc) -> bool:
    """Whether the first part of a sentence not built on a verb ("Thanks for letting us know about
    the issue, which ...") keeps the word the whole sentence was built on: it reads as that did."""
    roots = [t for t in _parse(part.strip()) if t.dep_ == "ROOT"]
    whole = [t for t in doc if t.dep_ == "ROOT"]
    return len(_WORDS.findall(part)) >= _MIN_PART_WORDS and len(roots) == 1 and len(whole) == 1 \
        and roots[0].lower_ == whole[0].lower_ and roots[0].i == whole[0].i


def _ends_the_sentence(verb: Token, doc: Doc) -> bool:
    """Whether the clause of `verb` runs to the end of the sentence (only punctuation after it)."""
    return all(t.is_punct or t.is_space for t in doc[verb.right_edge.i + 1:])


def _split_at(doc: Doc, sentence: str, token: Token) -> tuple[int, int, str] | None:
    """The edit that ends the sentence before `token` (a joining "and", "but", "so" or a "then"
    after a comma): ", and files" -> ". Files", ", but we" -> ". But we", " and then" -> ". Then"."""
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if following is None or not following.is_alpha:
        return None
    start = token.idx
    before = doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.text in (",", ";"):
        start = before.idx
    start = len(sentence[:start].rstrip())
    if token.lower_ == "and":
        word = following.text if following.text == "I" else following.text[:1].upper() + following.text[1:]
        return start, following.idx + len(following.text), ". " + word
    return start, token.idx + len(token.text), ". " + token.text[:1].upper() + token.text[1:]


def _reads_alone(part: str) -> bool:
    """A part of a split sentence reads on its own: enough words, built on a verb."""
    if len(_WORDS.findall(part)) < _MIN_PART_WORDS:
        return False
    return all(_verb_rooted(_parse(part.strip())))


def clause_splits(sentence: str, depth: int = 2) -> list[tuple[int, int, str]]:
    """Where a long sentence can end, found again in each part (the parser reads a shorter part
    better), at most `depth` times over. See `_clause_splits`."""
    kept = _clause_splits(sentence)
    if depth <= 1 or not kept:
        return kept
    found: list[tuple[int, int, str]] = []
    bounds = [(0, 0, "")] + kept + [(len(sentence), len(sentence), "")]
    for (_, end, replacement), (next_start, _, _) in zip(bounds, bounds[1:]):
        first_word = replacement[2:]
        offset = end - len(first_word)
        part = first_word + sentence[end:next_start] if first_word else sentence[:next_start]
        found += [(offset + a, offset + b, r) for a, b, r in clause_splits(part, depth - 1)
                  if offset + a >= end]
    return sorted(kept + found)


def _clause_splits(sentence: str) -> list[tuple[int, int, str]]:
    """Where a long sentence can end and a new one begin without changing a word's job: before an
    "and", "but" or "so" that joins two clauses each with its own subject, or a step told with
    "then" ("..., then restore from the backup"). Each part is parsed again and must read alone.
    Offsets are within `sentence`; the replacement carries the full stop and the capital."""
    doc = _parse(sentence)
    candidates: list[tuple[int, int, str]] = []
    for token in doc:
        if token.lower_ == "and" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in _TIME_OPENERS:
            pass  # "... by text message and after all that is done your emails should start": both parts read alone
        elif token.dep_ == "cc" and token.lower_ in _SPLIT_AT:
            conj = next((c for c in token.head.children if c.dep_ == "conj" and c.i > token.i), None)
            if conj is None or conj.pos_ not in ("VERB", "AUX") or not _own_clause(conj) \
                    or _ends_a_condition(token):
                continue
            opens = token.i + 2 if doc[token.i + 1].lower_ == "then" else token.i + 1
            if conj.left_edge.i not in (token.i + 1, opens) or doc[opens].tag_ == "NN":
                continue  # "your emails and calendar should start": the "and" joins two nouns
        elif token.lower_ == "then" and token.i > 0 and doc[token.i - 1].text == "," \
                and token.head.tag_ == "VB" and token.head.i > token.i:
            pass
        elif token.lower_ == "which" and token.dep_ in ("nsubj", "nsubjpass") and token.i > 0 \
                and doc[token.i - 1].lower_ in (",", "and") and _ends_the_sentence(token.head, doc):
            # ", which means the app will retry" -> ". This means the app will retry": a clause about
            # what came before, running to the end of the sentence
            before = doc[token.i - 1]
            start = before.idx
            if before.lower_ == "and" and token.i > 1 and doc[token.i - 2].text == ",":
                start = doc[token.i - 2].idx
            candidates.append((len(sentence[:start].rstrip()), token.idx + len(token.text), ". " + RELATIVE_OPENER))
            continue
        elif token.lower_ in _CONCESSIVE and token.dep_ == "mark" and token.head.i > token.i \
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.head.children):
            # "... should appear in the app although it may take some time" -> ". But it may take..."
            before = doc[token.i - 1] if token.i > 0 else None
            start = before.idx if before is not None and before.text == "," else token.idx
            candidates.append((len(sentence[:start].rstrip()), token.idx + len(token.text), ". " + CONCESSIVE_OPENER))
            continue
        else:
            continue
        split = _split_at(doc, sentence, token)
        if split is not None:
            candidates.append(split)
    kept: list[tuple[int, int, str]] = []
    previous_end = 0
    for index, (start, end, replacement) in enumerate(candidates):
        if start < previous_end:
            continue
        part = (kept[-1][2][2:] if kept else "") + sentence[previous_end:start]
        following = candidates[index + 1][0] if index + 1 < len(candidates) else len(sentence)
        rest = replacement[2:] + sentence[end:following]
        if (_reads_alone(part) or (not kept and _keeps_the_head(part, doc))) and _reads_alone(rest):
            kept.append((start, end, replacement))
            previous_end = end
    return kept


def shares_its_subject(sentence: str, start: int, end: int) -> bool:
    """Whether the verb at sentence[start:end] shares its subject with a verb joined to it ("Restores
    are processed by the team and are performed nightly"): rewriting the first clause alone would
    leave the second without one."""
    span = _span(_parse(sentence), start, end)
    if span is None:
        return False
    verb = _head(span)
    return any(child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")
               and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children)
               for child in verb.children)


# a list needs at least this many steps; fewer read fine as a sentence
MIN_STEPS = 3
# words that only tell a step's place in a sequence ("then open it"): the number says it once listed
_SEQUENCE_OPENERS = ("then", "and then", "and")
# words that open a part of a split sentence as the next step ("Then find...", "After it has...")
_STEP_OPENERS = frozenset({"then", "after", "next", "once", "finally", "afterwards"})
# where a sentence of steps may be cut: a comma, with "and" / "then" / "and then" after it, or
# "and then" / "then" alone ("go to the store and then find the app")
_STEP_CUT = re.compile(r",[ \t]+(?:and[ \t]+then[ \t]+|and[ \t]+|then[ \t]+)?|[ \t]+and[ \t]+then[ \t]+|[ \t]+then[ \t]+")
_PLEASE = re.compile(r"(?i)\Aplease[ \t]+")
_ASIDE = re.compile(r"\b(?:and|or|but),")
# a frame that makes the tagger read a bare verb as a verb ("tap Mail" -> "You should tap Mail")
_IMPERATIVE_FRAME = "You should "


def _imperative(part: str) -> bool:
    """Whether a part of a sentence is a step told as an order: it opens with a verb in its base
    form ("tap Mail", "remove your work account"). A capital opening mid-sentence is a name ("Mail")."""
    part = _PLEASE.sub("", part.strip())
    if not part or not part[:1].islower():
        return False
    doc = _parse(_IMPERATIVE_FRAME + part + ".")
    return len(doc) > 2 and doc[2].tag_ == "VB" and doc[2].dep_ in ("ROOT", "aux", "conj")


def _step_text(part: str) -> str:
    """A part as a numbered step: without the word that told its place, with a capital and a stop."""
    part = part.strip().rstrip(",;")
    lowered = part.lower()
    for opener in sorted(_SEQUENCE_OPENERS, key=len, reverse=True):
        if lowered.startswith(opener + " "):
            part = part[len(opener) + 1:]
            break
    part = part[:1].upper() + part[1:]
    return part if part[-1:] in ".!?" else part + "."


def _imperative_steps(sentence: str) -> list[str] | None:
    """"Open X, then click Y, and then restart Z." -> ["Open X.", "Click Y.", "Restart Z."]: the
    sentence cut where a new order starts; a piece that is no order ("then Accounts") stays with
    the one before."""
    body = sentence.strip().rstrip(".!")
    if _ASIDE.search(body):
        return None  # "open Teams and, if it asks, allow ...": an aside inside a step, no clean cut
    cuts = [0] + [m.end() for m in _STEP_CUT.finditer(body)]
    ends = [m.start() for m in _STEP_CUT.finditer(body)] + [len(body)]
    steps: list[str] = []
    for index, (start, end) in enumerate(zip(cuts, ends)):
        piece = body[start:end]
        first = piece if index else piece[:1].lower() + piece[1:]
        if index == 0 and not _imperative(first):
            return None
        if index and steps and not _imperative(piece):
            steps[-1] = steps[-1] + body[ends[index - 1]:end]
            continue
        steps.append(piece)
    if len(steps) < MIN_STEPS:
        return None
    return [_step_text(step) for step in steps]


def _sequenced_steps(sentence: str) -> list[str] | None:
    """A long sentence whose clauses, once split, follow one another as steps ("... go to the app
    store. Then find and download the app. After it has been installed you should open it. Then..."):
    each split part a step. None unless most parts after the first open with a word of sequence."""
    splits = clause_splits(sentence, depth=3)
    if len(splits) + 1 < MIN_STEPS:
        return None
    parts = []
    bounds = [(0, 0, "")] + splits + [(len(sentence), len(sentence), "")]
    for (_, end, replacement), (next_start, _, _) in zip(bounds, bounds[1:]):
        parts.append(replacement[2:] + sentence[end:next_start])
    openers = sum(p.split(" ", 1)[0].lower() in _STEP_OPENERS for p in parts[1:])
    if openers * 2 < len(parts) - 1:
        return None
    steps: list[str] = []
    for part in parts:
        if steps and part.split(" ", 1)[0] == CONCESSIVE_OPENER:  # a "but" qualifies the step before it: same item
            steps[-1] += " " + _step_text(part)
        else:
            steps.append(_step_text(part))
    if not all(all(_verb_rooted(_parse(step))) for step in steps):
        return None
    return steps


def numbered_steps(sentence: str) -> list[str] | None:
    """The sentence as a numbered list of steps, or None when it isn't a sequence of three or more
    steps: orders ("Open X, then click Y, and then restart Z.") or clauses that follow one another
    ("... then find the app. After it is installed you should open it. Then ..."). Each step is
    parsed again and must be built on a verb; no word is added, only the words that told the order
    ("then", "and then") go, as the numbers say it."""
    orders = _imperative_steps(sentence)
    if orders is not None:
        # "Tap Mail, then Accounts.": the tagger reads a bare order better after "You should"
        return orders if all(_imperative(s[:1].lower() + s[1:]) for s in orders) else None
    return _sequenced_steps(sentence)


def head_of(phrase: str) -> str | None:
    """The head of a noun phrase with the words that make it a name ("app that copies your files
    online" -> "app", "secure connection to the office" -> "secure connection"), or None when the
    phrase is no noun phrase or is its head already."""
    doc = _parse(phrase)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("NOUN", "PROPN"):
        return None
    left = [c for c in root.lefts if c.dep_ in ("compound", "amod")]
    start = min([c.i for c in left] + [root.i])
    head = doc[start:root.i + 1].text
    return head if head != phrase.strip() else None


# "subsequent to | the approval being given" -> "after the approval is given": the finite "be" in
# the tense of the clause the passage belongs to, by the object's number
_FINITE_BE = {("present", False): "is", ("present", True): "are", ("past", False): "was", ("past", True): "were"}


def _tense(token: Token) -> str | None:
    """"present" or "past": the tense of the clause `token` belongs to (its nearest verb), or None
    when the parse doesn't say ("will carry out", "restart it", "is sent" -> present; "sent",
    "was sent", "has sent" -> past: the condition came first)."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    if any(t.tag_ == "MD" for t in auxiliaries):
        return "present" if all(t.lower_ in ("will", "'ll", "can", "must", "shall", "should", "may")
                                for t in auxiliaries if t.tag_ == "MD") else None
    if verb.tag_ == "VBD" or any(t.tag_ == "VBD" or t.lower_ in ("has", "have", "'ve") for t in auxiliaries):
        return "past"
    if verb.tag_ in ("VBZ", "VBP", "VB") or any(t.tag_ in ("VBZ", "VBP") for t in auxiliaries):
        return "present"
    return None


def gerund_passive(sentence: str, start: int, end: int) -> tuple[int, int, str | None] | None:
    """Where the passage sentence[start:end] ends in a preposition whose object is a noun and a
    passive gerund ("subsequent to | the approval being given"): the offsets of "being" and the finite
    "be" a conjunction needs in its place ("after the approval is given"), in the tense of the clause
    the passage belongs to (None when the parse doesn't tell it, or the object is a pronoun: "them
    being" would need "they"). None when the object is no such clause."""
    doc = _parse(sentence)
    span = _span(doc, start, end)
    if span is None or span[-1].pos_ != "ADP":
        return None
    for noun in span[-1].children:
        if noun.dep_ != "pobj" or noun.i < span.end:
            continue
        # by the words, not the arcs: the parser hangs the participle on any noun before it
        following = list(doc[noun.i + 1:noun.i + 4])
        being = following[0] if following and following[0].lower_ == "being" else None
        rest = [t for t in following[1:] if t.pos_ != "ADV"]
        if being is None or not rest or rest[0].tag_ != "VBN":
            continue
        tense = _tense(span[-1]) if noun.pos_ != "PRON" else None
        plural = noun.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in noun.children)
        form = _FINITE_BE[(tense, plural)] if tense else None
        return being.idx, being.idx + len(being), form
    return None


def opens_a_passive_clause(sentence: str, start: int, end: int, be: int) -> bool:
    """Whether the conjunction at sentence[start:end], parsed again, opens the clause whose passive
    "be" is at offset `be` ("after | the approval is given"): the swap re-reads as English."""
    doc = _parse(sentence)
    span, auxiliary = _span(doc, start, end), _span(doc, be, be + 1)
    if span is None or auxiliary is None:
        return False
    verb = auxiliary[0].head
    return (auxiliary[0].dep_ == "auxpass" and span[-1].dep_ == "mark" and span[-1].head.i == verb.i
            and any(c.dep_ == "nsubjpass" for c in verb.children))
