"""The glossary (glossary/*.yaml): technical terms with a plain-language alternative, found in a Doc.

One file per domain (networking, accounts, security, hardware, software, cloud, email):

    terms:
      - term: DNS                         # the usual spelling; its lower-cased form is the term's id
        aliases: [Domain Name System]     # acronyms, expansions, spelling variants (may be empty)
        plain: internet address book      # words that can replace the term in a sentence
        explanation: The system that turns website names into the numbers computers use.
        exact_case: false                 # true: all-capitals forms match only in capitals ("AP", not "ap")
        context: [wifi, router]           # optional: words (or their lemmas) one of which must be near
                                          # for the term to be meant in its technical sense
        everyday: false                   # true: most customers know it ("router", "factory reset"):
                                          # known (a customer's word, a rewrite), never flagged as jargon
        workplace: false                  # true: office staff use it every day ("VPN", "intranet",
                                          # "shared mailbox"): not jargon to a reader writing from work
                                          # (coach/analyzers/jargon.py), jargon to everyone else

Terms are matched case-insensitively on their exact forms and generated plurals ("routers"), and on
lemmas for inflected base forms ("rebooted"); the longest match wins and matches never overlap.
A term with `context` (an everyday word with a technical sense: access point, cookie, port, shell)
matches only when one of its context words is within CONTEXT_WINDOW tokens.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from coach.cachefiles import read_json, write_json
from coach.config import glossary_dir
from coach.datafiles import field, load_yaml
from coach.errors import DataFileError
from coach.nlp import load_nlp
from coach.textstats import cache_dir

_TERM_KEYS = {"term", "aliases", "plain", "explanation", "exact_case", "context", "everyday", "workplace"}
# tokens either side of a term searched for one of its `context` words
CONTEXT_WINDOW = 15


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    aliases: tuple[str, ...]
    plain: str
    explanation: str
    domain: str
    exact_case: bool = False
    context: frozenset[str] = frozenset()
    everyday: bool = False
    workplace: bool = False

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class TermMatch:
    """One glossary term found in a Doc: `start`/`end` are character offsets into doc.text,
    `token_start`/`token_end` token indices (end exclusive)."""

    term: Term
    start: int
    end: int
    token_start: int
    token_end: int


@dataclass(frozen=True)
class Glossary:
    directory: Path
    terms: tuple[Term, ...]

    def get(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(f"{self.directory}: no glossary term {term_id!r}")


def normal_form(form: str) -> str:
    """A term's id: lower case, single spaces."""
    return " ".join(form.lower().split())


_normal = normal_form


def _parse_term(raw: object, domain: str, path: Path, where: str) -> Term:
    if not isinstance(raw, dict):
        raise DataFileError(path, where, "must be a mapping with term, aliases, plain and explanation")
    for key in raw:
        if key not in _TERM_KEYS:
            raise DataFileError(path, f"{where}.{key}", f"unknown field (use {', '.join(sorted(_TERM_KEYS))})")
    term = field(raw, "term", str, path, where).strip()
    if not term:
        raise DataFileError(path, f"{where}.term", "must not be blank")
    aliases = field(raw, "aliases", list, path, where, allow_empty=True)
    for index, alias in enumerate(aliases):
        if not isinstance(alias, str) or not alias.strip():
            raise DataFileError(path, f"{where}.aliases[{index}]", "must be a non-empty string")
    context = field(raw, "context", list, path, where, [])
    for index, word in enumerate(context):
        if not isinstance(word, str) or not word.strip() or " " in word.strip():
            raise DataFileError(path, f"{where}.context[{index}]", "must be one word")
    everyday = field(raw, "everyday", bool, path, where, False)
    workplace = field(raw, "workplace", bool, path, where, False)
    if everyday and workplace:
        # an everyday term is known to every reader already: marking it workplace says nothing
        raise DataFileError(path, f"{where}.workplace", "an everyday term is known to everyone: use one of the two")
    return Term(
        id=_normal(term),
        term=term,
        aliases=tuple(alias.strip() for alias in aliases),
        plain=field(raw, "plain", str, path, where).strip(),
        explanation=field(raw, "explanation", str, path, where).strip(),
        domain=domain,
        exact_case=field(raw, "exact_case", bool, path, where, False),
        context=frozenset(word.strip().lower() for word in context),
        everyday=everyday,
        workplace=workplace,
    )


def load_file(path: Path) -> tuple[Term, ...]:
    """Parse and check one glossary file (duplicates across files are checked by `load_glossary`)."""
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(path, "", "must be a mapping with a 'terms' list")
    items = field(raw, "terms", list, path, "")
    return tuple(_parse_term(item, path.stem, path, f"terms[{index}]") for index, item in enumerate(items))


def load_glossary(directory: Path | str | None = None) -> Glossary:
    """The glossary in `directory` (default: coach.config.glossary_dir()), loaded and checked once."""
    path = Path(directory or glossary_dir())
    # resolving is a file system call: once per absolute path, not on every analysis (a relative
    # path depends on the working folder, so it is resolved each time)
    return _load_glossary(_resolved(path) if path.is_absolute() else path.resolve())


@functools.lru_cache(maxsize=64)
def _resolved(path: Path) -> Path:
    return path.resolve()


@functools.cache
def _load_glossary(directory: Path) -> Glossary:
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise DataFileError(directory, "", "no glossary files (*.yaml) found")
    owners: dict[str, tuple[Path, str]] = {}
    terms: list[Term] = []
    for path in paths:
        for index, term in enumerate(load_file(path)):
            labelled = [(f"terms[{index}].term", term.term)]
            labelled += [(f"terms[{index}].aliases[{i}]", alias) for i, alias in enumerate(term.aliases)]
            for where, form in labelled:
                key = _normal(form)
                if key in owners:
                    other_path, other_term = owners[key]
                    raise DataFileError(path, where, f"{form!r} is already a form of {other_term!r} "
                                                     f"in {other_path.name}")
                owners[key] = (path, term.term)
            terms.append(term)
    return Glossary(directory, tuple(terms))


def _plural(form: str) -> str | None:
    """The regular plural of a form's last word ("router" -> "routers"), or None when it has none."""
    head, _, last = form.rpartition(" ")
    if not last[-1:].isalpha() or (last[-1] in "sS" and not last.endswith("ss")):
        return None  # "DNS", "credentials", "Kubernetes": no regular plural to add
    if last.isupper():
        last += "s"  # "VPNs", "APs"
    elif last.endswith(("ss", "x", "z", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u"):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _pattern_docs(nlp: Language, texts: list[str]) -> list[Doc]:
    """Token patterns for `texts`, plus "SaaS." where the tokenizer keeps a final full stop on
    the word (it does after some mixed-case words), so a term ending a sentence is still found."""
    docs = []
    for text in texts:
        doc, dotted = nlp.make_doc(text), nlp.make_doc(text + ".")
        docs.append(doc)
        if len(dotted) == len(doc):
            docs.append(dotted)
    return docs


# Bump when the cached lemmas' meaning changes; the file name carries the pipeline and its version.
_LEMMA_CACHE_FORMAT = 1


def _lemma_cache_file(nlp: Language) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"glossary-lemmas-{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-" \
                    f"{nlp.meta.get('version', '0')}-spacy-{spacy.__version__}.json"


def _form_lemmas(nlp: Language, forms: dict[str, Doc]) -> dict[str, list[str]]:
    """{form: its tokens' lemmas} as the pipeline tags them in isolation (`forms`: each form's
    tokens). Tagging thousands of glossary forms takes seconds at every start, so they are cached
    between runs per pipeline version; only forms new since (a team's own terms, an edited
    glossary) are tagged again."""
    path = _lemma_cache_file(nlp)
    cached = (read_json(path, _LEMMA_CACHE_FORMAT) or {}).get("lemmas")
    known = {form: lemmas for form, lemmas in cached.items()
             if isinstance(lemmas, list) and all(isinstance(lemma, str) for lemma in lemmas)} \
        if isinstance(cached, dict) else {}
    # an entry is trusted only for the tokens this tokenizer makes of the form
    missing = [form for form, doc in forms.items() if form not in known or len(known[form]) != len(doc)]
    if missing:
        for form, doc in zip(missing, nlp.pipe(missing, disable=["parser", "ner"])):
            known[form] = [token.lemma_ for token in doc]
        write_json(path, _LEMMA_CACHE_FORMAT, {"lemmas": known})
    return known


class CompiledGlossary:
    """Three PhraseMatchers for one pipeline: LOWER (most forms and their plurals), ORTH (all-capitals
    forms of `exact_case` terms) and LEMMA (base forms, for "rebooted", "authenticating")."""

    def __init__(self, glossary: Glossary, nlp: Language) -> None:
        self.glossary = glossary
        self._by_id = {term.id: term for term in glossary.terms}
        self._context = {term.id: term.context for term in glossary.terms if term.context}
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        declared = {_normal(form) for term in glossary.terms for form in term.forms}
        lemma_candidates: list[tuple[str, str]] = []
        for term in glossary.terms:
            lower, orth = [], []
            for form in term.forms:
                plural = _plural(form)
                variants = [form] + ([plural] if plural and _normal(plural) not in declared else [])
                if term.exact_case and form.isupper():
                    orth.extend(variants)
                else:
                    lower.extend(variants)
                    lemma_candidates.append((term.id, form))
            if lower:
                self._lower.add(term.id, _pattern_docs(nlp, lower))
            if orth:
                self._orth.add(term.id, _pattern_docs(nlp, orth))
        docs = {form: nlp.make_doc(form) for _, form in lemma_candidates}
        lemmas = _form_lemmas(nlp, docs)
        for term_id, form in lemma_candidates:
            doc = docs[form]
            # Only base forms: the lemma of a plural alias ("drivers" -> "driver") would widen it.
            if all(lemma.lower() == token.lower_ for token, lemma in zip(doc, lemmas[form])):
                for token, lemma in zip(doc, lemmas[form]):
                    token.lemma_ = lemma
                self._lemma.add(term_id, [doc])

    def find(self, doc: Doc) -> list[TermMatch]:
        text = doc.text  # Doc.text joins every token anew on each access: read it once
        spans = [Span(doc, start, end, label=match_id)
                 for matcher in (self._lower, self._orth, self._lemma)
                 for match_id, start, end in matcher(doc)]
        if self._context:
            spans = [span for span in spans if self._in_sense(doc, span)]
        # no form ends with ".": a matched "SaaS." token ends the sentence
        return [TermMatch(self._by_id[span.label_], span.start_char,
                          span.end_char - (text[span.end_char - 1] == "."), span.start, span.end)
                for span in sorted(filter_spans(spans), key=lambda s: s.start)]


    def _in_sense(self, doc: Doc, span: Span) -> bool:
        """True unless the term needs context words and none is near (a parcel "access point")."""
        context = self._context.get(span.label_)
        if context is None:
            return True
        near = doc[max(0, span.start - CONTEXT_WINDOW):span.end + CONTEXT_WINDOW]
        return any(t.lower_ in context or t.lemma_.lower() in context
                   for t in near if not span.start <= t.i < span.end)


@functools.cache
def _compiled(nlp: Language, directory: Path) -> CompiledGlossary:
    return CompiledGlossary(_load_glossary(directory), nlp)


def compile_terms(terms: tuple[Term, ...], nlp: Language | None = None) -> CompiledGlossary:
    """Matchers for a list of terms that is not a glossary folder (a team's own terms)."""
    return CompiledGlossary(Glossary(Path("."), terms), nlp or load_nlp())


def compiled_glossary(nlp: Language | None = None, directory: Path | str | None = None) -> CompiledGlossary:
    """The glossary's matchers for `nlp` (default: coach.nlp.load_nlp()), built once per pipeline."""
    return _compiled(nlp or load_nlp(), load_glossary(directory).directory)


def find_terms(doc: Doc, nlp: Language | None = None) -> list[TermMatch]:
    """Glossary terms in `doc`, in text order; the longest wins where matches overlap."""
    return compiled_glossary(nlp).find(doc)
