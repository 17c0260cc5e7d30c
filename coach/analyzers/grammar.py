"""Grammar: spelling and grammar problems.

Back ends (coach/grammar_checkers.py), the first that can run wins: a LanguageTool server
(COACH_LANGUAGETOOL_URL) or local installation (COACH_LANGUAGETOOL_DIR) when one is configured;
otherwise Harper, in-process and offline; the offline spelling check as the last resort (status
`partial: spelling only, ...`). The status is `ok` with Harper or LanguageTool (`partial: Harper,
...` when a configured LanguageTool is down and Harper stood in), and the metric
`grammar_backend` says which ran (`grammar_dialect`: the English Harper checked against).
Our own checks of text-speak and word confusions run with every back end and win where they
overlap a back end's finding.

No finding on what is not prose for the customer: names (the customer's, the agent's, spaCy's
PERSON/ORG/PRODUCT), glossary terms, ticket numbers, e-mail addresses, URLs, paths, code and quoted
on-screen messages. A correction the checker is unsure of is shown without a one-click rewrite.

Sources: LanguageTool's rule categories (languagetool-core, Categories.java), Harper's lint kinds;
support QA scorecards count spelling and grammar under "professionalism".
"""
from __future__ import annotations

import bisect
import re

from coach.config import languagetool_dir, languagetool_url
from coach.context import AnalysisContext
from coach.findings import AnalyzerResult, Finding
from coach.glossary import find_terms
from coach.grammar_checkers import (
    CheckerUnavailable,
    GrammarIssue,
    GrammarSettings,
    SpellingChecker,
    common_slips_checker,
    grammar_settings,
    harper_checker,
    languagetool_checker,
    spelling_checker,
)
from coach.rules import load_ruleset
from coach.signoff import find_sign_off

SPELLING_RULE = "grammar.spelling"
OTHER_RULE = "grammar.languagetool"
# categories whose findings are our own rules in grammar.yaml (Harper's and the fallback's)
_OWN_CATEGORIES = {"spelling", "text-speak", "word-confusion", "agreement", "grammar", "word-choice",
                   "repeated-word", "capitalization", "punctuation"}
# quoted on-screen text: "Cannot connect to host", “Access denied”, the 'Find an activity' box
_QUOTED = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|‘[^’\n]{1,120}’|(?<![\w'])'[^'\n]{1,120}'(?![\w'])")
_CODE = re.compile(r"```.*?```|`[^`\n]+`", re.S)
# a whitespace-delimited chunk holding one of these is an address, path, version or identifier
# (chunks are found first and then searched: one pattern for both backtracks quadratically)
_CHUNK = re.compile(r"\S+")
_TECH_MARK = re.compile(r"[/\\_@=#~<>{}\[\]|0-9]|\.\w|\w:\w")


class GrammarAnalyzer:
    name = "grammar"
    version = 2

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        settings = grammar_settings()
        try:
            spelling: SpellingChecker | None = spelling_checker()
            spelling_problem = ""
        except CheckerUnavailable as exc:
            spelling, spelling_problem = None, str(exc)
        names = _names(context)
        issues, backend, dialect, reason = self._backend_issues(context)
        status = f"partial: {reason}" if reason else "ok"
        if issues is None:
            if spelling is None:
                return AnalyzerResult(None, status=f"unavailable: {reason}; {spelling_problem}")
            status, backend = f"partial: spelling only, {reason}", "spelling"
            issues = spelling.check(context.doc, names)
        elif spelling is not None:
            issues = _drop_exempt_typos(issues, context, spelling, names)
        slips = common_slips_checker().check(context.doc)
        issues = _without_protected(slips + [i for i in issues if not _overlaps_any(i, slips)], context)
        findings = tuple(_finding(context, issue, settings, spelling) for issue in _one_per_span(issues))
        words = sum(1 for token in context.doc if token.is_alpha or token.like_num)
        metrics = {"grammar_issues": len(findings), "grammar_backend": backend}
        if dialect:
            metrics["grammar_dialect"] = dialect
        scored, _ = context.split_hints(findings)  # a team's switched-off rules and hints never count
        return AnalyzerResult(_score(tuple(scored), words, settings), findings, metrics=metrics, status=status)

    @staticmethod
    def _backend_issues(context: AnalysisContext) -> tuple[list[GrammarIssue] | None, str, str | None, str]:
        """(issues or None when no back end could run, back end name, dialect, why not)."""
        languagetool, lt_reason = languagetool_checker()
        if languagetool is not None:
            try:
                return languagetool.check(context.doc), "languagetool", None, ""
            except CheckerUnavailable as exc:
                lt_reason = str(exc)
        try:
            issues, dialect = harper_checker().check_in_dialect(context.doc)
        except CheckerUnavailable as exc:
            return None, "", None, f"{exc}, {lt_reason}"
        # a configured LanguageTool that can't run is worth a note; none configured is the default
        configured = languagetool_url() is not None or languagetool_dir() is not None
        return issues, "harper", dialect, f"Harper, {lt_reason}" if configured else ""


def _names(context: AnalysisContext) -> frozenset[str]:
    """Lowercase words that are names here: the customer's (from their message) and any person
    or organisation spaCy finds in the reply or the customer's message (the agent's sign-off)."""
    names = set()
    if context.persona.name:
        names.update(context.persona.name.lower().split())
    for doc in (context.doc, context.customer_doc):
        if doc is not None:
            names.update(t.lower_ for ent in doc.ents if ent.label_ in ("PERSON", "ORG", "PRODUCT")
                         for t in ent if t.is_alpha)
    # the agent's name, title and team in the sign-off ("Kind regards,\nMarek", "...\n\nMina")
    sign_off = find_sign_off(context.text)
    if sign_off is not None:
        names.update(sign_off.name_words)
    return frozenset(names)


def _overlaps(a: GrammarIssue, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def _overlaps_any(issue: GrammarIssue, others: list[GrammarIssue]) -> bool:
    return any(_overlaps(issue, o.start, o.end) for o in others)


def _overlaps_kept(issue: GrammarIssue, kept: list[GrammarIssue]) -> bool:
    """Whether the issue overlaps one of `kept` (disjoint, sorted by start): walking back from the
    last that opens before it ends, until one ends before it starts (those before end earlier)."""
    for j in range(bisect.bisect_left(kept, issue.end, key=lambda i: i.start) - 1, -1, -1):
        other = kept[j]
        if _overlaps(issue, other.start, other.end):
            return True
        if other.start < other.end <= issue.start:
            return False
    return False


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The spans' union as sorted, disjoint intervals (their starts, their ends): an overlap test
    against it is one binary search, not one comparison per span (a pasted log has thousands)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _overlaps_merged(issue: GrammarIssue, starts: list[int], ends: list[int]) -> bool:
    # the last interval opening before the issue ends is the only one that can reach into it
    last = bisect.bisect_left(starts, issue.end) - 1
    return last >= 0 and _overlaps(issue, starts[last], ends[last])


def _protected_spans(context: AnalysisContext) -> list[tuple[int, int]]:
    """Passages that are not the agent's prose: code, quoted messages, addresses and identifiers."""
    text = context.text
    spans = [m.span() for m in _CODE.finditer(text)]
    spans += [m.span() for m in _QUOTED.finditer(text)]
    spans += [m.span() for m in _CHUNK.finditer(text) if _TECH_MARK.search(m.group(0))]
    return spans


def _without_protected(issues: list[GrammarIssue], context: AnalysisContext) -> list[GrammarIssue]:
    starts, ends = _merged(_protected_spans(context))
    return [i for i in issues if not _overlaps_merged(i, starts, ends)]


def _one_per_span(issues: list[GrammarIssue]) -> list[GrammarIssue]:
    """Where findings overlap, the first found (our own checks come first) wins."""
    kept: list[GrammarIssue] = []  # disjoint, by start: only those opening before an issue ends can overlap it
    for issue in issues:
        if not _overlaps_kept(issue, kept):
            bisect.insort(kept, issue, key=lambda i: i.start)
    return sorted(kept, key=lambda i: (i.start, i.end))


def _drop_exempt_typos(issues: list[GrammarIssue], context: AnalysisContext,
                       spelling: SpellingChecker, names: frozenset[str]) -> list[GrammarIssue]:
    """Back ends' dictionaries flag names, product names and tech words (Okta, dropdown, Priya); the
    spelling check's rules for names, acronyms, glossary terms and tech words apply to their typo
    matches too. Capital-letter findings on a name ("Sam" -> "SAM") are dropped as well."""
    if not any(issue.category in ("typos", "spelling", "capitalization") for issue in issues):
        return issues
    exempt = spelling.exempt_tokens(context.doc, names)
    for match in find_terms(context.doc):
        for index in range(match.token_start, match.token_end):
            exempt[index] = True
    kept = []
    for issue in issues:
        span = context.doc.char_span(issue.start, issue.end, alignment_mode="expand")
        alpha = [t for t in span if t.is_alpha] if span is not None else []
        if issue.category in ("typos", "spelling") and alpha and all(exempt[t.i] for t in alpha):
            continue
        if (issue.category == "spelling" and issue.rule_id != "SPELLING"
                and not spelling.likely_typo(context.text[issue.start:issue.end], issue.replacements)):
            continue
        if (issue.category == "capitalization" and alpha and all(t.lower_ in names or t.text[:1].isupper()
                                                                 for t in alpha)):
            continue
        kept.append(issue)
    return kept


def _spelling_fix(issue: GrammarIssue, context: AnalysisContext, spelling: SpellingChecker | None) -> str | None:
    """The correction to offer as a rewrite, or None when unsure. Harper's first spelling
    suggestion is a guess ("shud" -> "scud"); ours is offered only when it is clearly the most
    likely word, or when Harper's only change is a missing apostrophe ("thats" -> "that's")."""
    word = context.text[issue.start:issue.end]
    if issue.sure and issue.replacements:
        return issue.replacements[0]
    if spelling is not None:
        correction, sure = spelling.suggest(word.lower())
        if correction is not None and sure:
            return correction[:1].upper() + correction[1:] if word[:1].isupper() else correction
    if issue.replacements and issue.replacements[0].replace("'", "").lower() == word.replace("'", "").lower():
        return issue.replacements[0]
    return None


def _finding(context: AnalysisContext, issue: GrammarIssue, settings: GrammarSettings,
             spelling: SpellingChecker | None) -> Finding:
    quoted = context.text[issue.start:issue.end]
    if issue.category in _OWN_CATEGORIES:
        rule = load_ruleset("grammar").get(f"grammar.{issue.category}")
        if issue.category == "spelling":
            suggestion = _spelling_fix(issue, context, spelling)
        else:
            suggestion = issue.replacements[0] if issue.replacements and issue.sure else None
        template = rule.message if suggestion else rule.extra.get("message_unsure", rule.message)
        detail = issue.message.rstrip(".").replace("`", "'")
        message = (template.replace("{text}", quoted).replace("{suggestion}", suggestion or "")
                   .replace("{detail}", detail[:1].lower() + detail[1:]))
        if "{detail}" in template and not detail:
            message = message.replace(" ()", "")
        return context.finding("grammar", rule.id, rule.severity, issue.start, issue.end, message, suggestion)
    suggestion = issue.replacements[0] if issue.replacements else None
    category = issue.category.upper()
    severity = settings.languagetool.categories.get(category)
    if severity is None:
        return context.finding("grammar", OTHER_RULE, settings.languagetool.other_severity,
                               issue.start, issue.end,
                               f"{issue.message} (LanguageTool rule {issue.rule_id})", suggestion)
    rule_id = "grammar." + issue.category.replace("_", "-")
    return context.finding("grammar", rule_id, severity, issue.start, issue.end, issue.message, suggestion)


def _score(findings: tuple[Finding, ...], words: int, settings: GrammarSettings) -> float:
    """100 - sum(penalty[severity]) * 100 / max(words, min_words): penalties per issue per 100 words."""
    points = sum(settings.penalties.get(f.severity, 0.0) for f in findings)
    return round(max(0.0, 100.0 - points * 100.0 / max(words, settings.min_words)), 1)


analyzer = GrammarAnalyzer()
