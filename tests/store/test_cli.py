"""`coach users`, `coach demo`, `coach db upgrade`: one clear line and exit 2 on bad input."""
from __future__ import annotations

import io

import pytest

from coach.cli import main
from coach.store import repository
from coach.store.auth import sign_in
from coach.store.db import head_revision, open_store

from .conftest import PASSWORD


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    """cli("users", "list", stdin="...") -> (exit code, stdout, stderr) against the test database."""
    monkeypatch.setenv("COACH_DATABASE_URL", database_url)

    def run(*argv: str, stdin: str | bytes = ""):
        data = stdin if isinstance(stdin, bytes) else stdin.encode()
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def _add(cli, email="ann@a.example", role="manager", password=PASSWORD, team="A"):
    argv = ["users", "add", "--name", "Ann Lee", "--email", email, "--role", role, "--password-stdin"]
    return cli(*argv, *(["--team", team] if team else []), stdin=password + "\n")


def test_cli_users_add_then_sign_in(cli, database_url):
    code, out, _ = _add(cli)
    assert code == 0 and out == "Created manager Ann Lee <ann@a.example> in team A.\n"
    store = open_store(database_url)
    assert sign_in(store, "ann@a.example", PASSWORD).team_names == ("A",)
    store.dispose()


def test_cli_users_list(cli):
    _add(cli)
    code, out, _ = cli("users", "list")
    assert code == 0 and "Ann Lee" in out and "ann@a.example" in out and "manager" in out
    assert PASSWORD not in out and "argon2" not in out


def test_cli_users_list_of_an_empty_database_says_what_to_do(cli):
    code, out, _ = cli("users", "list")
    assert code == 0 and "coach users add --role manager" in out


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"password": "short"}, "at least 8 characters"),
    ({"email": "nope"}, "is not an e-mail address"),
    ({"password": ""}, "No password on standard input"),
])
def test_cli_users_add_bad_input_is_one_line_and_exit_2(cli, kwargs, message):
    code, out, err = _add(cli, **kwargs)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_cli_users_add_twice_is_refused(cli):
    _add(cli)
    code, _, err = _add(cli, role="agent")
    assert code == 2 and "already exists" in err


def test_cli_users_add_without_a_terminal_asks_for_password_stdin(cli):
    code, _, err = cli("users", "add", "--name", "A", "--email", "a@a.example", "--role", "agent")
    assert code == 2 and "--password-stdin" in err


def test_cli_demo_refuses_a_real_workspace(cli, database_url):
    _add(cli)
    code, out, err = cli("demo", "--yes")
    assert code == 2 and out == "" and "already has real accounts" in err
    store = open_store(database_url)
    with store.read() as session:
        assert [u.email for u in repository.list_all_users(session)] == ["ann@a.example"]
    store.dispose()


def test_cli_demo_needs_yes_without_a_terminal(cli):
    code, _, err = cli("demo")
    assert code == 2 and "--yes" in err


def test_cli_db_upgrade(cli):
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and out.startswith(f"Database at revision {head_revision()}")
    code, out, _ = cli("db", "upgrade")
    assert "already up to date" in out


def test_cli_bad_database_url_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("COACH_DATABASE_URL", "this is not a url")
    assert main(["users", "list"]) == 2
    assert "not a database URL" in capsys.readouterr().err


@pytest.mark.parametrize(("stdin", "message"), [
    (b"\xff\xfe secret\n", "not UTF-8 text"),
    (b"\x00" * 100_000, "longer than 1024 bytes"),   # `< /dev/zero` reads no further
])
def test_cli_users_add_bad_password_stdin_is_one_line(cli, stdin, message):
    code, _, err = cli("users", "add", "--name", "Ann", "--email", "ann@a.example", "--role", "agent",
                       "--password-stdin", stdin=stdin)
    assert code == 2 and message in err and err.count("\n") == 1


CALIBRATION_CSV = (
    "reply,customer_message,reviewer,scale,tone,empathy,pass,agent\n"
    "\"Hi Maria, I'm sorry the wifi keeps dropping. I'll reset it tonight and call you at 9 tomorrow. Best, Al\","
    "My wifi keeps dropping!!,ann@a.example,1-5,5,5,pass,\n"
    "\"Obviously you should have restarted it first.\",It is broken,Quinn,1-5,1,1,fail,\n")


def test_cli_calibrate_import_stores_reviews_with_the_coachs_scores(cli, database_url, tmp_path):
    from coach.store import calibration

    _add(cli)
    path = tmp_path / "reviews.csv"
    path.write_text(CALIBRATION_CSV, encoding="utf-8")
    code, out, _ = cli("calibrate", "import", str(path))
    assert code == 0 and "Imported 2 reviewed replies into team A." in out and "Tone" in out
    store = open_store(database_url)
    with store.read() as session:
        ann = repository.list_all_users(session)[0]
        kind, curt = calibration.review_rows(session, ann)
    store.dispose()
    assert (kind["reviewer"], kind["reviewer_tone"], kind["passed"]) == ("Ann Lee", 100.0, True)
    assert curt["reviewer"] == "Quinn" and curt["reviewer_empathy"] == 0.0
    # the coach's own scores of the same replies, from a real analysis: the curt reply scores lower
    assert kind["coach_tone"] > curt["coach_tone"]


@pytest.mark.parametrize("content, message", [("reply,reviewer\nHi,Ann\n", "no score column"),
                                              (None, "Cannot read")])
def test_cli_calibrate_import_bad_file_is_one_line_and_exit_2(cli, tmp_path, content, message):
    _add(cli)
    path = tmp_path / "reviews.csv"
    if content is not None:
        path.write_text(content)
    code, out, err = cli("calibrate", "import", str(path))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_cli_calibrate_import_needs_a_team_when_there_are_several(cli, tmp_path):
    _add(cli)
    _add(cli, email="bob@b.example", team="B")
    path = tmp_path / "reviews.csv"
    path.write_text(CALIBRATION_CSV)
    code, _, err = cli("calibrate", "import", str(path))
    assert code == 2 and "--team" in err and "A, B" in err
