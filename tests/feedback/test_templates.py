"""coach/feedback/templates.yaml and ranking.yaml: complete for every rule, validated with errors
that name the file and the field."""
from __future__ import annotations

import re

import pytest
import yaml

from coach.analyzers import REGISTRY
from coach.config import DATA_DIR
from coach.errors import DataFileError
from coach.feedback.ranking import RANKING_FILE, ranking_settings
from coach.feedback.templates import TEMPLATES_FILE, load_templates, render
from coach.placeholders import ANALYZER as DRAFT_CHECK
from coach.rules import load_ruleset

# the six scored dimensions, and the unfinished-draft check the engine runs after them
RULESETS = [load_ruleset(name) for name in (*REGISTRY, DRAFT_CHECK) if (DATA_DIR / f"{name}.yaml").exists()]
PROBLEM_RULES = sorted(r.id for rs in RULESETS for r in rs.rules if r.polarity == "problem")
STRENGTH_RULES = sorted(r.id for rs in RULESETS for r in rs.rules if r.polarity == "strength")
ALL_RULES = {r.id for rs in RULESETS for r in rs.rules}


@pytest.mark.parametrize("rule", PROBLEM_RULES)
def test_templates_every_problem_rule_has_its_own_entry(rule):
    assert rule in load_templates().rules, f"add '{rule}' to {TEMPLATES_FILE.name} rules"


@pytest.mark.parametrize("rule", STRENGTH_RULES)
def test_templates_every_strength_rule_can_be_praised(rule):
    templates = load_templates()
    assert templates.for_strength(rule, rule.split(".")[0]) is not None, f"add '{rule}' to strengths"


def test_templates_only_name_rules_that_exist():
    templates = load_templates()
    named = set(templates.rules) | set(templates.strengths)
    named |= {t.fills for t in templates.rules.values() if t.fills}
    named |= set(templates.greeting_rules) | set(templates.closing_rules)
    assert named - ALL_RULES == set()


def test_ranking_weights_only_name_rules_that_exist():
    settings = ranking_settings()
    named = set(settings["rules"]) | set(settings["strengths"])
    named |= {rule for weights in settings["moods"].values() for rule in weights}
    # LanguageTool categories are reported as grammar.<category> without a rule of their own
    assert {n for n in named - ALL_RULES if not n.startswith("grammar.")} == set()


@pytest.mark.parametrize("analyzer", ["any", *REGISTRY])
def test_templates_fallback_covers_rules_without_an_entry(analyzer):
    template = load_templates().for_rule(f"{analyzer}.some-new-rule", analyzer)
    assert template.title and template.why.pick(()) and template.action


@pytest.mark.parametrize(("mutate", "where"), [
    (lambda d: d["rules"]["tone.blame"].pop("title"), "rules.tone.blame.title: missing"),
    (lambda d: d["rules"]["tone.blame"].update(why="'{quote}' and {mood}"), "rules.tone.blame.why: unknown placeholder {mood}"),
    (lambda d: d["rules"]["tone.blame"].update(why={"upset": "x"}), "rules.tone.blame.why.default: missing"),
    (lambda d: d["rules"]["tone.blame"].update(why={"default": "x", "sad": "y"}), "rules.tone.blame.why.sad: unknown variant"),
    (lambda d: d["rules"]["tone.blame"]["rewrite"].update(kind="magic"), "rules.tone.blame.rewrite.kind: must be one of"),
    (lambda d: d["rules"]["empathy.no-next-step"]["rewrite"].update(place="middle"), "rules.empathy.no-next-step.rewrite.place: must be one of"),
    (lambda d: d["rules"]["empathy.no-next-step"]["rewrite"].pop("draft"), "rules.empathy.no-next-step.rewrite.draft: missing"),
    (lambda d: d["summary"].pop("both"), "summary.both: missing"),
    (lambda d: d["fallbacks"].pop("any"), "fallbacks.any: missing"),
    (lambda d: d["strengths"]["empathy.time-frame"].update(text="{quote"), "strengths.empathy.time-frame.text: malformed placeholder"),
])
def test_templates_errors_name_file_and_field(tmp_path, mutate, where):
    data = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    mutate(data)
    broken = tmp_path / "templates.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_templates(broken)
    assert str(error.value).startswith(f"{broken}: {where}")


@pytest.mark.parametrize(("mutate", "where"), [
    (lambda d: d["severity"].pop("critical"), "severity.critical: missing"),
    (lambda d: d["rules"].update({"tone.blame": -1}), "rules.tone.blame: must be a number >= 0"),
    (lambda d: d["moods"]["upset"].update({"tone.blame": "high"}), "moods.upset.tone.blame: must be a number >= 0"),
])
def test_ranking_errors_name_file_and_field(tmp_path, mutate, where):
    data = yaml.safe_load(RANKING_FILE.read_text(encoding="utf-8"))
    mutate(data)
    broken = tmp_path / "ranking.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        ranking_settings(broken)
    assert str(error.value).startswith(f"{broken}: {where}")


@pytest.mark.parametrize(("phrase", "values", "expected"), [
    ("{customer} is upset.", {"customer": "your customer"}, "Your customer is upset."),
    ("Nothing is said. {customer} will relax.", {"customer": "your customer"}, "Nothing is said. Your customer will relax."),
    ("Tell {customer} when.", {"customer": "your customer"}, "Tell your customer when."),
    ("'{quote}' is jargon.", {"quote": "DNS"}, "'DNS' is jargon."),
])
def test_templates_render_capitalises_only_sentence_starts(phrase, values, expected):
    assert render(phrase, values) == expected


def _phrasings():
    templates = load_templates()
    entries = [*templates.rules.values(), *templates.fallbacks.values()]
    for entry in entries:
        yield entry.key, entry.title
        yield entry.key, entry.action
        yield from ((entry.key, text) for text in entry.why.variants.values())
        if entry.rewrite.draft is not None:
            yield from ((entry.key, text) for text in entry.rewrite.draft.variants.values())
    for strength in [*templates.strengths.values(), *templates.dimension_strengths.values()]:
        yield strength.key, strength.text


# words that blame the agent, or that a mentor writing plainly would not use
UNWELCOME = ("you failed", "you forgot", "your mistake", "you should have", "you got it wrong", "bad", "poor",
             "utilize", "leverage", "synergy", "empathy", "readability", "passive voice", "rule id")


@pytest.mark.parametrize(("key", "text"), list(_phrasings()))
def test_templates_phrasings_are_kind_and_plain(key, text):
    lowered = text.lower()
    assert not [w for w in UNWELCOME if w in lowered], key


def test_templates_every_placeholder_the_coach_writes_is_flagged_until_filled():
    """A bracketed fact the coach writes ("[what went wrong for them]") must be one the check flags
    as draft.placeholder, or a revised draft could be sent with it still in."""
    from coach.placeholders import find as find_placeholders

    templates = load_templates()
    texts = [templates.signature, templates.technical_placeholder,
             render(templates.reword_placeholder, {"quote": "a stale Kerberos ticket cache"})]
    for template in templates.rules.values():
        rewrite = template.rewrite
        texts += list(rewrite.draft.variants.values()) if rewrite.draft else []
        texts += [rewrite.text or "", *(replacement for _, replacement in rewrite.phrases + rewrite.sentences)]
    for text in texts:
        bracketed = re.findall(r"\[[^\]{}]*\]", text)
        assert [p.text for p in find_placeholders(text)] == bracketed, text
