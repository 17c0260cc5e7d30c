"""The app in-process (the same ASGI app and start-up, called through httpx's ASGI transport):
what happens when something inside fails."""
from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from coach.server.app import create_app
from coach.server.settings import ServerSettings
from coach.store.api_tokens import create_token
from coach.store.db import open_store

SECRET = "Zanzibar-4111-1111"


@pytest.fixture
def token_and_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = open_store(url)
    with store.write() as session:
        token, _ = create_token(session, "Support EU")
    store.dispose()
    return token, url


def _failing_loader(store, team):
    raise RuntimeError(f"team settings broken near {SECRET}")


@pytest.mark.parametrize(("path", "send"), [
    ("/api/v1/check", {"json": {"reply": f"Hi, about {SECRET}: done."}}),
    ("/v2/check", {"data": {"text": f"Hi, about {SECRET}: done.", "language": "en-US"}}),
])
def test_an_internal_failure_is_a_clear_error_and_the_log_keeps_no_text(token_and_url, caplog, path, send):
    token, url = token_and_url
    app = create_app(ServerSettings(database_url=url), load_team_settings=_failing_loader)

    async def call() -> httpx.Response:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                return await client.post(path, headers={"Authorization": f"Bearer {token}"}, **send)

    with caplog.at_level(logging.INFO, logger="coach.server"):
        response = asyncio.run(call())
    assert response.status_code == 500
    assert "internal error" in response.text and "Traceback" not in response.text and SECRET not in response.text
    assert "RuntimeError" in caplog.text and "_failing_loader" in caplog.text  # the admin sees where
    assert SECRET not in caplog.text


def test_an_unreachable_token_database_is_a_clear_503(tmp_path, caplog):
    folder = tmp_path / "not-a-folder"
    folder.write_text("a file where the database folder should be")
    app = create_app(ServerSettings(database_url=f"sqlite:///{folder / 'sub' / 'coach.db'}"))

    async def call() -> httpx.Response:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                return await client.post("/api/v1/check", json={"reply": "Hi, done."},
                                         headers={"Authorization": "Bearer coach_anything"})

    with caplog.at_level(logging.INFO, logger="coach.server"):
        response = asyncio.run(call())
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"
    assert "cannot check an API token" in caplog.text


def test_a_team_token_brings_the_team_settings_to_its_checks(token_and_url):
    """Whatever a team's settings say (here: blame turned off, condescension down to a hint) applies
    to checks made with its token, on both APIs; checks without a token keep the defaults."""
    from coach.context import TeamSettings

    token, url = token_and_url
    settings = TeamSettings(disabled_rules=frozenset({"tone.blame"}), hint_rules=frozenset({"tone.condescension"}))
    app = create_app(ServerSettings(database_url=url),
                     load_team_settings=lambda store, team: settings if team.team == "Support EU" else None)
    reply = "Hi Sam, you should have restarted the router. Obviously it works now. Best regards, Alex"

    async def call() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                return [await client.post("/api/v1/check", json={"reply": reply},
                                          headers={"Authorization": f"Bearer {token}"}),
                        await client.post("/api/v1/check", json={"reply": reply}),
                        await client.post(f"/t/{token}/v2/check", data={"text": reply, "language": "en-US"}),
                        await client.post("/v2/check", data={"text": reply, "language": "en-US"})]

    team_report, default_report, team_lt, default_lt = asyncio.run(call())
    team_rules = {f["rule"]: f["severity"] for f in team_report.json()["findings"]}
    default_rules = {f["rule"]: f["severity"] for f in default_report.json()["findings"]}
    assert "tone.blame" in default_rules and "tone.blame" not in team_rules
    assert default_rules["tone.condescension"] != "hint" and team_rules["tone.condescension"] == "hint"
    assert {"tone.blame", "tone.condescension"} <= {m["rule"]["id"] for m in default_lt.json()["matches"]}
    assert not {"tone.blame", "tone.condescension"} & {m["rule"]["id"] for m in team_lt.json()["matches"]}


def test_a_team_token_applies_the_rules_and_words_its_managers_set(tmp_path):
    """The server's own loader (no stand-in): team A's manager turned blame off and approved "MTU" in
    the web app's data layer, so /v2/check with A's token no longer reports them, while team B's
    token still does, and so does a check without a token."""
    from coach.store import auth, repository, rules
    from coach.store.models import User

    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = open_store(url)
    with store.write() as session:
        ann = repository.add_user(session, "Ann", "ann@a.example", "manager", "a long password", "Team A")
        repository.get_or_create_team(session, "Team B")
        token_a, _ = create_token(session, "Team A")
        token_b, _ = create_token(session, "Team B")
        manager = auth.identity(session.get(User, ann.id))
        rules.set_rule_mode(session, manager, manager.team_ids[0], "tone.blame", "off")
        rules.approve_term(session, manager, manager.team_ids[0], "MTU")
    store.dispose()
    app = create_app(ServerSettings(database_url=url))
    reply = "Hi Sam, you should have restarted the router. I have changed the MTU setting for you. Best regards, Alex"

    async def call() -> list[httpx.Response]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                form = {"text": reply, "language": "en-US"}
                return [await client.post(f"/t/{token_a}/v2/check", data=form),
                        await client.post(f"/t/{token_b}/v2/check", data=form),
                        await client.post("/v2/check", data=form)]

    team_a, team_b, anonymous = asyncio.run(call())
    assert team_a.status_code == team_b.status_code == anonymous.status_code == 200

    def flagged(response: httpx.Response) -> set[tuple[str, str]]:
        return {(m["rule"]["id"], reply[m["offset"]:m["offset"] + m["length"]]) for m in response.json()["matches"]}

    for other in (team_b, anonymous):
        assert "tone.blame" in {rule for rule, _ in flagged(other)}
        assert any(text == "MTU" for _, text in flagged(other))
    assert "tone.blame" not in {rule for rule, _ in flagged(team_a)}
    assert not any(text == "MTU" for _, text in flagged(team_a))
