"""Grammar: spelling and grammar problems, from LanguageTool when one is configured.

Back ends (coach/grammar_checkers.py): a LanguageTool server (COACH_LANGUAGETOOL_URL), a local
LanguageTool installation (COACH_LANGUAGETOOL_DIR), or, without either or while LanguageTool is
unreachable, an offline spelling check (status `partial: spelling only, ...`). The score only
goes down for what the back end that ran can see.

Source: LanguageTool's rule categories (languagetool-core, Categories.java); support QA
scorecards count spelling and grammar under "professionalism".
"""
from __future__ import annotations

from coach.context import AnalysisContext
from coach.findings import AnalyzerResult, Finding
from coach.grammar_checkers import (
    CheckerUnavailable,
    GrammarIssue,
    GrammarSettings,
    SpellingChecker,
    grammar_settings,
    languagetool_checker,
    spelling_checker,
)
from coach.rules import load_ruleset

SPELLING_RULE = "grammar.spelling"
OTHER_RULE = "grammar.languagetool"


class GrammarAnalyzer:
    name = "grammar"
    version = 1

    def analyze(self, context: AnalysisContext) -> AnalyzerResult:
        settings = grammar_settings()
        try:
            spelling: SpellingChecker | None = spelling_checker()
            spelling_problem = ""
        except CheckerUnavailable as exc:
            spelling, spelling_problem = None, str(exc)
        languagetool, reason = languagetool_checker()
        issues: list[GrammarIssue] | None = None
        if languagetool is not None:
            try:
                issues = languagetool.check(context.doc)
            except CheckerUnavailable as exc:
                reason = str(exc)
        if issues is not None:
            status = "ok"
            if spelling is not None:
                issues = _drop_exempt_typos(issues, context, spelling)
        elif spelling is not None:
            status = f"partial: spelling only, {reason}"
            issues = spelling.check(context.doc)
        else:
            return AnalyzerResult(None, status=f"unavailable: {reason}; {spelling_problem}")
        findings = tuple(_finding(context, issue, settings) for issue in issues)
        words = sum(1 for token in context.doc if token.is_alpha or token.like_num)
        return AnalyzerResult(_score(findings, words, settings), findings,
                              metrics={"grammar_issues": len(findings)}, status=status)


def _drop_exempt_typos(issues: list[GrammarIssue], context: AnalysisContext,
                       spelling: SpellingChecker) -> list[GrammarIssue]:
    """LanguageTool's dictionary flags product names and tech words (Okta, dropdown); the
    spelling check's rules for names, acronyms and tech words apply to its typo matches too."""
    exempt = spelling.exempt_tokens(context.doc)
    kept = []
    for issue in issues:
        span = context.doc.char_span(issue.start, issue.end, alignment_mode="expand")
        if issue.category == "typos" and span is not None and all(exempt[t.i] for t in span if t.is_alpha):
            continue
        kept.append(issue)
    return kept


def _finding(context: AnalysisContext, issue: GrammarIssue, settings: GrammarSettings) -> Finding:
    suggestion = issue.replacements[0] if issue.replacements else None
    if issue.category == "spelling":
        rule = load_ruleset("grammar").get(SPELLING_RULE)
        quoted = context.text[issue.start:issue.end]
        message = rule.format_message(quoted).replace("{suggestion}", suggestion or "")
        return context.finding("grammar", SPELLING_RULE, rule.severity, issue.start, issue.end,
                               message, suggestion)
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
