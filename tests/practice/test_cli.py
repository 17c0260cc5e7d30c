"""`coach scenarios validate|list` and `coach practice` as a user runs them: real processes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from coach.config import PROJECT_ROOT
from coach.practice import load_library
from tests.practice.scripts import BLAME, UNSAFE, script

COACH = [sys.executable, "-m", "coach.cli"]
TIMEOUT = 300


def coach(*args: str, stdin: str | None = None, scenarios: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"COACH_SCENARIOS_DIR": str(scenarios)} if scenarios else {})}
    return subprocess.run([*COACH, *args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=PROJECT_ROOT, timeout=TIMEOUT)


@pytest.fixture
def broken_folder(tmp_path) -> Path:
    shutil.copy(PROJECT_ROOT / "scenarios" / "printer-first-day.yaml", tmp_path)
    data = yaml.safe_load((PROJECT_ROOT / "scenarios" / "elderly-email-stopped.yaml").read_text(encoding="utf-8"))
    del data["turns"][1]["reactions"]["resolved"]
    (tmp_path / "elderly-email-stopped.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def test_cli_scenarios_validate_ok():
    result = coach("scenarios", "validate")
    assert result.returncode == 0, result.stderr
    count = len(list((PROJECT_ROOT / "scenarios").glob("*.yaml")))
    assert result.stdout == f"OK: {count} scenarios valid in {PROJECT_ROOT / 'scenarios'}\n"


def test_cli_scenarios_validate_broken_exits_2_with_one_line_per_problem(broken_folder):
    result = coach("scenarios", "validate", scenarios=broken_folder)
    assert result.returncode == 2
    assert result.stdout == (f"{broken_folder / 'elderly-email-stopped.yaml'}: turns[1].reactions.resolved: "
                             "missing (the customer's last word after a good reply)\n")
    assert result.stderr == "1 of 2 scenario files are broken.\n"


def test_cli_scenarios_list_shows_scenarios_and_broken_files(broken_folder):
    result = coach("scenarios", "list", "--dir", str(broken_folder))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("printer-first-day  *    chat   First day, no printer in the list (Leo Martins, calm)")
    assert lines[1] == (f"BROKEN {broken_folder / 'elderly-email-stopped.yaml'}: 1 problem(s); "
                        "run `coach scenarios validate`")


@pytest.mark.parametrize(("args", "message"), [
    (["practice", "third-outage"], "coach: No scenario with id 'third-outage'. Did you mean: third-outage-this-week, abusive-customer-outage?\n"),
    (["practice", "printer-first-day", "--json"], "coach: --json needs --replies FILE.json (a scripted run).\n"),
])
def test_cli_practice_errors_are_one_line(args, message):
    result = coach(*args)
    assert result.returncode == 2
    assert result.stderr == message
    assert result.stdout == ""


@pytest.mark.parametrize(("content", "message"), [
    ('["Hi Leo",', "not valid JSON (line 1: Expecting value)."),
    ('{"reply": "Hi"}', 'must be a JSON list of reply strings, e.g. ["Hi Dan, ..."].'),
    ('["Hi Leo", 3]', "item 1 must be a non-empty string."),
])
def test_cli_practice_bad_replies_file(tmp_path, content, message):
    path = tmp_path / "replies.json"
    path.write_text(content, encoding="utf-8")
    result = coach("practice", "printer-first-day", "--replies", str(path))
    assert result.returncode == 2
    assert result.stderr == f"coach: {path}: {message}\n"


@pytest.mark.parametrize("scenario_id", ["clicked-phishing-link"])
def test_cli_practice_scripted_json(tmp_path, scenario_id):
    scenario = load_library().get(scenario_id)
    replies = [script("unsafe", scenario.turns[0].model), script("good", scenario.turns[1].model)]
    replies_file = tmp_path / "replies.json"
    replies_file.write_text(json.dumps(replies), encoding="utf-8")
    result = coach("practice", scenario_id, "--replies", str(replies_file), "--json")
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert run["scenario"] == scenario_id
    assert [t["reply"] for t in run["turns"]] == replies
    # after the scare she is still anxious, and the second model answer does not acknowledge it again
    assert [t["outcome"] for t in run["turns"]] == ["unsafe", "cold"]
    assert run["turns"][0]["customer"].startswith("hi, I think I've done something really stupid.")
    assert run["turns"][1]["customer"].startswith(f'"{run["turns"][0]["heard"]["unsafe"]}"?')
    assert run["turns"][0]["heard"]["unsafe"] in UNSAFE
    assert run["turns"][0]["report"]["schema"] == "coach.report/1"
    assert any(f["rule"] == "security.asks-for-password" for f in run["turns"][0]["report"]["findings"])
    assert run["debrief"]["outcomes"] == ["unsafe", "cold"]
    assert run["debrief"]["practice"][0]["key"] == "security.asks-for-password"
    assert run["closing"] == run["turns"][1]["next_customer"]


def test_cli_practice_interactive_shows_the_brief_and_reads_replies_until_a_blank_line():
    scenario = load_library().get("third-outage-this-week")
    # a blank line ends a reply in the terminal, so paragraphs are sent as plain lines
    replies = [script("cold", t.model).replace("\n\n", "\n") for t in scenario.turns]
    stdin = "".join(reply + "\n\n" for reply in replies)
    result = coach("practice", "third-outage-this-week", "--coaching", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("Facts you may give:") < out.index("Your reply (finish with a blank line, or Ctrl-D):")
    assert "Do not:\n  - Tell him to restart the router again." in out
    assert out.count("Your reply (finish with a blank line, or Ctrl-D):") == 3
    assert "  [turn 1: cold, overall" in out
    assert f'"{BLAME.rstrip(".")}"? I don\'t think that\'s fair.' in out
    assert "Debrief: The same fault for the third time this week" in out


def test_cli_practice_interactive_stops_at_end_of_input():
    result = coach("practice", "printer-first-day", stdin="Hi Leo, welcome! 1. Click Print.\n")
    assert result.returncode == 0, result.stderr
    assert "(stopped before the end of the scenario)" in result.stdout
    assert "Turn 1: " in result.stdout
