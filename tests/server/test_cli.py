"""`coach serve tokens create|list|revoke` and the checks `coach serve` makes before starting."""
from __future__ import annotations

import pytest

from coach.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path / 'coach.db'}")

    def run(*argv: str):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_tokens_create_prints_the_token_once(cli):
    code, out, err = cli("serve", "tokens", "create", "--team", "Support EU", "--label", "Zendesk")
    token = out.strip()
    assert code == 0 and token.startswith("coach_") and "\n" not in token
    assert "shown only now" in err and token not in err
    code, listed, _ = cli("serve", "tokens", "list")
    assert code == 0 and token not in listed
    assert "Support EU" in listed and token[:12] in listed and "active" in listed and "Zendesk" in listed


def test_tokens_revoke(cli):
    cli("serve", "tokens", "create", "--team", "Billing")
    code, out, _ = cli("serve", "tokens", "revoke", "1")
    assert code == 0 and out == "API token 1 of team Billing is revoked.\n"
    assert "revoked" in cli("serve", "tokens", "list")[1]


@pytest.mark.parametrize(("argv", "message"), [
    (["serve", "tokens", "revoke", "7"], "No API token with id 7"),
    (["serve", "tokens", "create", "--team", "  "], "A team needs a name."),
    (["serve", "--workers", "0"], "--workers: Input should be greater than or equal to 1"),
    (["serve", "--rate-limit", "0"], "--rate-limit: Input should be greater than or equal to 1"),
])
def test_bad_input_is_one_line(cli, argv, message):
    code, _, err = cli(*argv)
    assert code == 2 and message in err and err.count("\n") == 1
