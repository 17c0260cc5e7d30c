"""`coach glossary add|remove|list --team`, and `coach check --team` applying the list."""
from __future__ import annotations

import io
import json

import pytest

from coach.cli import main


@pytest.fixture
def cli(database_url, teams, monkeypatch, capsys):
    """cli("glossary", "list", ...) -> (exit code, stdout, stderr) on the test database with teams A and B."""
    monkeypatch.setenv("COACH_DATABASE_URL", database_url)

    def run(*argv: str, stdin: str = ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_glossary_cli_add_list_remove(cli):
    assert cli("glossary", "add", "--team", "A", "Zephyr queue", "--plain", "repair waiting list") == (
        0, "Saved term 'Zephyr queue' -> 'repair waiting list' for team A.\n", "")
    assert cli("glossary", "add", "--team", "A", "Acme Sync", "--approved")[0] == 0
    code, out, _ = cli("glossary", "list", "--team", "A")
    assert code == 0 and out == "term      Zephyr queue  ->  repair waiting list\napproved  Acme Sync\n"
    code, out, _ = cli("glossary", "list", "--team", "A", "--json")
    assert json.loads(out) == [{"kind": "term", "term": "Zephyr queue", "plain": "repair waiting list",
                                "explanation": None},
                               {"kind": "approved", "term": "Acme Sync", "plain": None, "explanation": None}]
    assert cli("glossary", "remove", "--team", "A", "zephyr queue") == (0, "Removed 'zephyr queue' from team A.\n", "")
    assert cli("glossary", "list", "--team", "B") == (0, "Team B has no terms or approved words yet.\n", "")


@pytest.mark.parametrize(("argv", "error"), [
    (["glossary", "add", "--team", "Nope", "x", "--approved"], "coach: No team called 'Nope': teams are A, B.\n"),
    (["glossary", "add", "--team", "A", "Zephyr queue", "--plain", "zephyr queue"],
     "coach: The plain alternative must say it differently from the term.\n"),
    (["glossary", "remove", "--team", "A", "Zephyr queue"], "coach: 'Zephyr queue' is not in team A's list.\n"),
])
def test_glossary_cli_bad_input_is_one_line_and_exit_2(cli, argv, error):
    assert cli(*argv) == (2, "", error)


def test_glossary_cli_check_with_team_uses_its_terms_and_approved_words(cli, tmp_path):
    cli("glossary", "add", "--team", "A", "Zephyr queue", "--plain", "repair waiting list")
    cli("glossary", "add", "--team", "A", "SLA", "--approved")
    reply = tmp_path / "reply.txt"
    reply.write_text("Your laptop is in the Zephyr queue, and the SLA says it will be back within a week.")
    code, out, _ = cli("check", "--json", "--team", "A", str(reply))
    jargon = [(f["text"], f["suggestion"]) for f in json.loads(out)["findings"] if f["analyzer"] == "jargon"]
    assert code == 0 and jargon == [("Zephyr queue", "repair waiting list")]
    code, out, _ = cli("check", "--json", str(reply))
    assert [f["text"] for f in json.loads(out)["findings"] if f["analyzer"] == "jargon"] == ["SLA"]
