"""Turning ranked finding groups into the mentor's Suggestions (title, why, quote, changes).

`plan()` decides once which rewrites a report offers: each group's edits, most important group
first, dropping any edit that overlaps one already offered. Every kept edit becomes a Change the
agent can accept on its own, with an id that stays the same when the reply is checked again:
the rule for a drafted sentence (`empathy.no-time-frame`), the rule and the passage for a rewrite
(`jargon.glossary-term/bgp`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from coach.feedback import questions, sendable, voice
from coach.feedback.ranking import Group
from coach.feedback.rewrites import (Edit, after_greeting, compound_around, edit_for, reads_well, self_contained,
                                     sentence_bounds, split_edits)
from coach.feedback.templates import RuleTemplate, Templates, render
from coach.findings import Finding
from coach.placeholders import find as find_placeholders
from coach.report import Change, Report, Suggestion

MAX_LISTED_QUOTES = 3
_SLUG_LENGTH = 30
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NUMBERED_LINE = re.compile(r"(?m)^1\. ")
_WORD = re.compile(r"\w+")
# a sentence with this many technical terms, one of them beyond a swap, is the agent's to say plainly
TECHNICAL_SENTENCE_TERMS = 3
# ... in a sentence no longer than a step or two
TECHNICAL_SENTENCE_WORDS = 35
# a step with this many technical terms is the agent's to say plainly even when each has a swap: put
# plainly one by one, they still leave a step in network talk ("You need to set up a secure connection
# to the office before the shared drive will resolve") (templates.yaml step_openers)
SWAPPED_SENTENCE_TERMS = 4
# rewrites drafted per rule: far more than any reply needs, and a bound on the work a pasted log
# with thousands of findings of one rule can cause (the rest are listed as left to the agent)
MAX_EDITS_PER_RULE = 100


@dataclass(frozen=True)
class Planned:
    """One group's offered edits, each with its change id."""

    group: Group
    edits: tuple[tuple[str, Finding, Edit], ...]
    # a drafted sentence another suggestion already offers at the same place (it covers both)
    covered_by: str | None = None
    # passages of the group no offered edit rewrites: left to the agent, and the suggestion says so
    left: tuple[Finding, ...] = ()


def change_id(rule: str, finding: Finding, taken: set[str]) -> str:
    if finding.start == finding.end:
        base = rule
    else:
        slug = _NOT_SLUG.sub("-", finding.text.lower()).strip("-")[:_SLUG_LENGTH].strip("-")
        base = f"{rule}/{slug or 'passage'}"
    identifier, number = base, 1
    while identifier in taken:
        number += 1
        identifier = f"{base}-{number}"
    taken.add(identifier)
    return identifier


def _same_sentence(edit: Edit, other: Edit) -> bool:
    return edit.start == edit.end == other.start == other.end and edit.body == other.body


def _neighbours(edit: Edit, other: Edit, text: str) -> bool:
    """Whether two edits of passages touch, or only spaces lie between them."""
    first, second = sorted((edit, other), key=lambda e: e.start)
    return first.end <= second.start and not text[first.end:second.start].strip()


def _offered(edit: Edit, kept: list[Edit], text: str) -> bool:
    """Whether an edit can be offered next to those already kept: no overlap, not a sentence
    already drafted at the same place (two rules may draft the same sentence), and no grammar
    correction next to another kind of edit (it was right for the words as they were)."""
    for other in kept:
        if edit.needs_neighbours != other.needs_neighbours and edit.start < edit.end \
                and other.start < other.end and _neighbours(edit, other, text):
            return False
        if _same_sentence(edit, other):
            return False
        if edit.start == edit.end == other.start == other.end:
            continue
        if edit.start == edit.end or other.start == other.end:
            point, span = (edit, other) if edit.start == edit.end else (other, edit)
            if span.start < point.start < span.end:
                return False
            continue
        if edit.start < other.end and other.start < edit.end:
            return False
    return True


def _clear_of_deletions(edit: Edit, kept: list[Edit], text: str) -> Edit:
    """A deletion that shares only a space with one already kept (two neighbouring sentences both
    taken out: "... else. " and " its not hard."): the shared space stays with the kept one."""
    if edit.text or edit.start == edit.end:
        return edit
    start, end = edit.start, edit.end
    for other in kept:
        if other.start == other.end or not (other.start < end and start < other.end):
            continue
        if other.text:
            # a passage before a rewritten one ("... laptop| which has been experienced| and which"
            # -> ". This"): the space or comma it took after it is the rewrite's, and the space
            # before it goes
            before = len(text[:start]) - len(text[:start].rstrip(" \t"))
            if other.start < end <= other.end and not text[other.start:end].strip(" \t,;") and before:
                start, end = start - before, other.start
            continue
        if other.start <= start < other.end and not text[start:other.end].strip():
            start = other.end
        elif other.start < end <= other.end and not text[other.start:end].strip():
            end = other.start
    if (start, end) == (edit.start, edit.end) or start >= end:
        return edit
    return Edit(start, end, "", edit.order, note=edit.note)


def plan(report: Report, templates: Templates, groups: list[Group]) -> list[Planned]:
    """The edits each group offers, in the groups' order (most important first)."""
    writer = Writer(report, templates)
    edits = {group.rule: writer.edits(group) for group in groups}
    # a rule whose rewrite covers another's drafted sentence: that sentence is not drafted too
    covering = {covered: (edits[group.rule][0][1], group.rule)
                for group in groups if edits[group.rule]
                for covered in templates.for_rule(group.rule, group.analyzer).covers}
    # sentences rewritten or taken out whole come first: a word-level edit inside one ("NOTHING"
    # -> "nothing" in "There is NOTHING we can do.") is moot once the sentence is rewritten
    kept: list[Edit] = []
    for group in groups:
        if group.rule not in covering:
            kept += [edit for _, edit in edits[group.rule] if edit.whole_sentence and _offered(edit, kept, report.text)]
    whole = {id(edit) for edit in kept}
    planned = []
    for group in groups:
        taken: set[str] = set()
        offered, covered_by = [], None
        if group.rule in covering:
            planned.append(Planned(group, (), covering[group.rule][0].text.strip()))
            continue
        for finding, edit in edits[group.rule]:
            if id(edit) in whole:
                offered.append((change_id(group.rule, finding, taken), finding, edit))
                continue
            if edit.whole_sentence:
                continue
            edit = _clear_of_deletions(edit, kept, report.text)
            if _offered(edit, kept, report.text):
                kept.append(edit)
                offered.append((change_id(group.rule, finding, taken), finding, edit))
            elif any(_same_sentence(edit, other) for other in kept):
                covered_by = edit.body.strip()
        planned.append(Planned(group, tuple(offered), covered_by if not offered else None))
    return _keep_answers(report, templates, [_with_left(item, kept) for item in planned])


def _takes_out(edit: Edit) -> bool:
    """Whether an edit takes its passage's words away: a deletion, or a whole sentence rewritten as
    a stock sentence ("If anything else comes up, just let me know."). A rewrite with a placeholder
    leaves the agent the place to say it again ("instead, [safer next step]", "[say this in plain
    words as a step they can follow]")."""
    if edit.start == edit.end:
        return False
    body = edit.text.strip()
    return not body or (edit.whole_sentence and not find_placeholders(body))


def _gone(text: str, span: tuple[int, int], taking: list[Edit]) -> bool:
    """Whether every word of text[span] lies in an edit that takes it out."""
    words = list(_WORD.finditer(text, *span))
    return bool(words) and all(any(e.start <= w.start() and w.end() <= e.end for e in taking) for w in words)


def _with_answer(edit: Edit, question: str, text: str, templates: Templates, template: RuleTemplate) -> Edit:
    """The edit with a placeholder for the answer it takes out, where the passage was, in the words
    of the edit's rule (templates.yaml `answer_again`)."""
    placeholder = questions.answer_again(question, template.answer_again or templates.answer_again)
    if edit.text.strip():
        lead = edit.text[:len(edit.text) - len(edit.text.lstrip())]
        written = f"{lead}{placeholder} {edit.text.lstrip()}"
    else:
        removed = text[edit.start:edit.end]
        written = removed[:len(removed) - len(removed.lstrip())] + placeholder + removed[len(removed.rstrip()):]
    note = render(template.answer_again_note or templates.answer_again_note, {"quote": " ".join(question.split())})
    return replace(edit, text=written, note=f"{edit.note} {note}" if edit.note else note)


def _keep_answers(report: Report, templates: Templates, planned: list[Planned]) -> list[Planned]:
    """A question the reply answered stays answered: when the offered edits together take out every
    sentence that answered it (a blaming "YOU SIGNED THE CONTRACT FOR 50 SEATS!!!" that was the only
    answer to "Why are we paying for the rest?"), the first edit taking one of them out leaves a
    placeholder for the answer in its place (accepted alone, it still does: the agent answers once)."""
    rules = {id(edit): templates.for_rule(item.group.rule, item.group.analyzer)
             for item in planned for _, _, edit in item.edits}
    taking = [edit for item in planned for _, _, edit in item.edits if _takes_out(edit)]
    if not taking:
        return planned
    answered: dict[int, Edit] = {}
    for question, sentences in questions.answered(report):
        if not all(_gone(report.text, sentence, taking) for sentence in sentences):
            continue
        first = min((e for e in taking if any(e.start < end and start < e.end for start, end in sentences)),
                    key=lambda e: (e.start, e.end), default=None)
        if first is not None:
            answered[id(first)] = _with_answer(answered.get(id(first), first), question, report.text, templates,
                                               rules[id(first)])
    if not answered:
        return planned
    return [replace(item, edits=tuple((identifier, finding, answered.get(id(edit), edit))
                                      for identifier, finding, edit in item.edits)) for item in planned]


def _with_left(item: Planned, kept: list[Edit]) -> Planned:
    """The plan item with the passages nothing rewrites: a passage counts as rewritten when one of
    its own group's edits touches it or any edit covers it whole."""
    own = [edit for _, _, edit in item.edits]
    left = tuple(f for f in item.group.findings if f.start < f.end
                 and not any(e.start < f.end and f.start < e.end for e in own)
                 and not any(e.start <= f.start and f.end <= e.end and e.start < e.end for e in kept))
    return Planned(item.group, item.edits, item.covered_by, left)


def _as_change(identifier: str, edit: Edit, text: str) -> Change:
    """The change as a plain replacement of its own span, with the sentence around it before and
    after (a drafted sentence has no before)."""
    edit = self_contained(edit, text)
    if edit.start == edit.end:
        return Change(identifier, edit.start, edit.end, edit.text, "", edit.text.strip(), edit.note)
    opening, closing = sentence_bounds(text, edit.start, edit.end)
    opening, closing = min(opening, edit.start), max(closing, edit.end)
    after = text[opening:edit.start] + edit.text + text[edit.end:closing]
    return Change(identifier, edit.start, edit.end, edit.text, text[opening:closing], after, edit.note)


def _listed(quotes: list[str]) -> str:
    """'a', 'b' and 'c' (distinct passages, in order, at most three)."""
    unique = list(dict.fromkeys(voice.short(q, 40) for q in quotes if q.strip()))[:MAX_LISTED_QUOTES]
    marked = [f"'{q}'" for q in unique]
    if len(marked) < 2:
        return "".join(marked)
    return ", ".join(marked[:-1]) + " and " + marked[-1]


class Writer:
    """Renders suggestions and edits for one report (the customer's values are worked out once)."""

    def __init__(self, report: Report, templates: Templates) -> None:
        self.report = report
        self.templates = templates
        self.customer = voice.customer_values(report)
        self.variants = voice.variant_keys(report, bool(self.customer["cue"]))

    def edit(self, group: Group, finding_index: int | None = None) -> Edit | None:
        finding = group.lead if finding_index is None else group.findings[finding_index]
        template = self.templates.for_rule(group.rule, group.analyzer)
        return edit_for(finding, self.report, self.templates, template, self.customer, self.variants)

    def edits(self, group: Group) -> list[tuple[Finding, Edit]]:
        """Every rewrite the group allows: its lead's first, then the others in reading order (a
        long sentence may be split in several places, each its own edit)."""
        lead = group.findings.index(group.lead)
        order = ([lead] + [i for i in range(group.count) if i != lead])[:MAX_EDITS_PER_RULE]
        if self.templates.for_rule(group.rule, group.analyzer).rewrite.kind == "split":
            return [(group.findings[i], self._split_note(e, group.findings[i]))
                    for i in order for e in split_edits(group.findings[i], self.report.text)]
        pairs = [(group.findings[i], self.edit(group, i)) for i in order]
        if self.templates.for_rule(group.rule, group.analyzer).rewrite.whole_phrases:
            pairs += [(again, self._edit_of(group, again)) for again in self._repeats(group)]
            pairs = self._said_once(pairs) + self._technical_sentences(group, pairs)
        return [(finding, edit) for finding, edit in pairs if edit is not None]

    def _technical_sentences(self, group: Group, pairs: list[tuple[Finding, Edit | None]]) -> list[tuple[Finding, Edit]]:
        """A sentence with several technical terms, one of which no swap can put plainly ("If the
        passcode is forgotten, boot into recovery mode and perform a factory reset via the OS"), or
        with so many that swapping each still leaves network talk: the whole sentence becomes a
        placeholder for the agent to say it plainly, a step the customer can follow; a sentence of
        swaps around a term still technical is one they can't."""
        text = self.report.text
        swaps = [edit for _, edit in pairs if edit is not None and not find_placeholders(edit.text)]
        sentences: dict[tuple[int, int], list[Finding]] = {}
        for finding in group.findings:
            if finding.end > finding.start:
                sentences.setdefault(sentence_bounds(text, finding.start, finding.end), []).append(finding)
        found = []
        for (opening, closing), findings in sentences.items():
            stuck = [f for f in findings if not any(e.start <= f.start and f.end <= e.end for e in swaps)]
            swapped_step = len(findings) >= SWAPPED_SENTENCE_TERMS and self.templates.step_opening.match(text, opening)
            if len(findings) < TECHNICAL_SENTENCE_TERMS or not (stuck or swapped_step) \
                    or "\n" in text[opening:closing] or len(text[opening:closing].split()) > TECHNICAL_SENTENCE_WORDS:
                continue  # a longer sentence says more than one step: its swaps and splits help more
            start = after_greeting(self.report, self.templates, opening, closing)
            quote = voice.short(text[start:closing].rstrip(".!?"))
            note = render(self.templates.technical_sentence, {"quote": quote})
            found.append((findings[0], Edit(start, closing, self.templates.technical_placeholder, note=note,
                                            whole_sentence=True)))
        return found

    def _said_once(self, pairs: list[tuple[Finding, Edit | None]]) -> list[tuple[Finding, Edit | None]]:
        """A long plain phrase the reply would say twice ("the app that copies your files online ...
        so the app that copies your files online will retry") is shortened to its head the second
        time ("so the app will retry"), where the sentence still reads."""
        said: set[str] = set()
        shortened = {}
        for finding, edit in sorted((p for p in pairs if p[1] is not None), key=lambda p: p[1].start):
            body = edit.text.lower()
            if body in said and len(body.split()) > 2:
                head = sendable.head_of(edit.text)
                if head:
                    short = Edit(edit.start, edit.end, head, edit.order, note=edit.note)
                    if reads_well(short, self.report.text, swap=False):
                        shortened[id(edit)] = short
            said.add(body)
        return [(finding, shortened.get(id(edit), edit)) for finding, edit in pairs]

    def _edit_of(self, group: Group, finding: Finding) -> Edit | None:
        template = self.templates.for_rule(group.rule, group.analyzer)
        return edit_for(finding, self.report, self.templates, template, self.customer, self.variants)

    def _repeats(self, group: Group) -> list[Finding]:
        """A term the analyser flagged once, where the reply uses it again ("the OneDrive quota ...
        increased the quota"): swapping only the first would leave the second for the customer."""
        flagged = [f for f in self.report.findings if f.rule == group.rule and f.end > f.start]
        repeats = []
        for finding in group.findings:
            if finding.end == finding.start:
                continue
            term = re.compile(r"(?<![\w-])" + re.escape(finding.text) + r"(?![\w-])")
            for found in term.finditer(self.report.text):
                if not any(f.start < found.end() and found.start() < f.end for f in flagged + repeats):
                    repeats.append(replace(finding, start=found.start(), end=found.end(), text=found.group(0)))
        return repeats

    def _split_note(self, edit: Edit, finding: Finding) -> Edit:
        quote = voice.short(finding.text.strip().rstrip(".!?"))
        note = self.templates.lists_steps if _NUMBERED_LINE.search(edit.text) else self.templates.splits_sentence
        return replace(edit, note=render(note, {"quote": quote}))

    def values(self, group: Group, edit: Edit | None) -> dict[str, object]:
        lead = group.lead
        return {**self.customer,
                "quote": voice.short(lead.text),
                "count": group.count,
                "quotes": _listed([f.text for f in group.findings]),
                "suggestion": (lead.suggestion or "").strip(),
                # the analyser's own sentence, for absences whose specifics (the question asked)
                # only the finding knows
                "finding": lead.message,
                "rewrite": voice.short(edit.body.strip()) if edit else ""}

    def suggestion(self, priority: int, planned: Planned) -> Suggestion:
        group = planned.group
        template = self.templates.for_rule(group.rule, group.analyzer)
        lead = group.lead
        edit = next((e for _, finding, e in planned.edits if finding is lead), None)
        values = self.values(group, edit)
        many = group.count > 1
        title = render(template.title_many if many and template.title_many else template.title, values)
        detail = render(template.why.pick(self.variants), values)
        if many:
            detail += " " + render(template.repeat or self.templates.repeat, values)
        notes = list(dict.fromkeys(e.note for _, _, e in planned.edits if e.note))
        if planned.covered_by:
            notes.append(render(self.templates.covered, {**values, "rewrite": planned.covered_by}))
        if template.rewrite.kind == "suggestion":
            # plain words that exist but can't be dropped into "BGP misconfiguration": say so
            offered = {id(finding) for _, finding, _ in planned.edits}
            phrases = [compound_around(f, self.report.text) for f in group.findings
                       if id(f) not in offered and f.suggestion and len(f.suggestion.split()) > 1]
            phrases = [p for p in phrases if p]
            phrases = [p for p in phrases if not any(p != q and p in q for q in phrases)]  # the longest says it
            if phrases:
                notes.append(render(self.templates.rephrase, {**values, "quotes": _listed(phrases)}))
                planned = Planned(planned.group, planned.edits, planned.covered_by,
                                  tuple(f for f in planned.left if not f.suggestion or len(f.suggestion.split()) < 2
                                        or not compound_around(f, self.report.text)))
        if planned.left:
            notes.append(render(self.templates.no_rewrite, {**values, "quotes": _listed([f.text for f in planned.left])}))
        detail = " ".join([detail, *notes])
        if edit is None:
            start, end, rewrite = lead.start, lead.end, None
        else:
            shown = self_contained(edit, self.report.text)
            start, end, rewrite = shown.start, shown.end, shown.text
        changes = tuple(_as_change(identifier, e, self.report.text) for identifier, _, e in planned.edits)
        return Suggestion(priority=priority, analyzer=group.analyzer, rule=group.rule, title=title,
                          detail=detail, quote=self.report.text[start:end], start=start, end=end,
                          rewrite=rewrite, id=group.rule, changes=changes)

    def action(self, group: Group) -> str:
        """The top suggestion as the summary's call to action."""
        template = self.templates.for_rule(group.rule, group.analyzer)
        edit = self.edit(group)
        return template.action.format_map(self.values(group, edit))
