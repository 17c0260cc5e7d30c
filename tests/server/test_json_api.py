"""The JSON API over real HTTP (httpx): reports, batches, the OpenAPI description, and every way a
request can be wrong (bad input, too large, wrong token, rate limit), answered with clear JSON."""
from __future__ import annotations

import time

import httpx
import pytest

from coach import analyze
from coach.server.api import BatchOut, ReportOut

from .conftest import CORS_ORIGIN, STRICT_RATE_LIMIT

REPLY = ("Hi Sam,\n\nYou should have restarted the routr. Obviously the DNS cache was stale, so I flushed it."
         "\n\nBest regards,\nAlex")
CUSTOMER = "My internet has been down for two days and I work from home!!! Fix it."


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert "Traceback" not in response.text
    return body["error"]["message"]


@pytest.mark.parametrize("body", [
    {"reply": REPLY},
    {"reply": REPLY, "customer_message": CUSTOMER, "audience": "technical"},
    {"reply": "Sure, done. Anything else?", "channel": "chat",
     "history": [{"role": "customer", "text": "Can you reset my password?"},
                 {"role": "agent", "text": "Hi! Yes, one moment please."}]},
])
def test_check_returns_the_report_analyze_gives(server, body):
    response = httpx.post(f"{server.url}/api/v1/check", json=body, timeout=30)
    assert response.status_code == 200
    report = response.json()
    ReportOut.model_validate(report)
    expected = analyze(body["reply"], customer_message=body.get("customer_message"), audience=body.get("audience"),
                       channel=body.get("channel"), history=body.get("history")).to_dict()
    assert report == expected
    assert response.headers["server-timing"].startswith("analyze;dur=")


def test_check_with_all_suggestions(server):
    short = httpx.post(f"{server.url}/api/v1/check", json={"reply": REPLY}).json()
    every = httpx.post(f"{server.url}/api/v1/check", json={"reply": REPLY, "all_suggestions": True}).json()
    assert len(short["feedback"]) <= 3 < len(every["feedback"])


def test_batch_answers_each_item_in_order(server):
    items = [{"reply": REPLY}, {"reply": "   "}, {"reply": "Thanks, I have refunded the charge today.",
                                                   "customer_message": CUSTOMER}]
    response = httpx.post(f"{server.url}/api/v1/batch", json={"items": items}, timeout=60)
    assert response.status_code == 200
    results = BatchOut.model_validate(response.json()).results
    assert [r.index for r in results] == [0, 1, 2]
    assert results[0].report is not None and results[0].error is None
    assert results[1].report is None and results[1].error.code == "bad_input"
    assert "empty" in results[1].error.message
    assert results[2].report.overall == analyze(items[2]["reply"], customer_message=CUSTOMER).overall


def test_openapi_describes_the_api(server):
    spec = httpx.get(f"{server.url}/api/v1/openapi.json").json()
    assert {"/api/v1/check", "/api/v1/batch", "/api/v1/health", "/v2/check", "/v2/languages"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert schemas["CheckBody"]["required"] == ["reply"]
    assert {"reply", "customer_message", "channel", "history", "audience"} <= set(schemas["CheckBody"]["properties"])
    check = spec["paths"]["/api/v1/check"]["post"]["responses"]
    assert check["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/ReportOut")
    assert {"401", "413", "422", "429"} <= set(check)


@pytest.mark.parametrize(("content", "status", "code", "says"), [
    (b"{not json", 400, "invalid_json", "not valid JSON"),
    (b'{"customer_message": "hi"}', 422, "invalid_request", "reply: Field required"),
    (b'{"reply": 42}', 422, "invalid_request", "reply: Input should be a valid string"),
    (b'{"reply": "Hi", "tone": "nice"}', 422, "invalid_request", "tone: Extra inputs are not permitted"),
    (b'{"reply": "Hi", "channel": "fax"}', 422, "invalid_request", "channel: Input should be 'chat' or 'email'"),
    (b'{"reply": "Hi", "history": [{"role": "boss", "text": "x"}]}', 422, "invalid_request", "history.0.role"),
    (b'{"reply": "   "}', 422, "bad_input", "The reply is empty"),
    (b'{"reply": "Hi \\ud83d, the refund is done."}', 422, "bad_input", "The reply has a lone UTF-16 surrogate"),
    (b'{"reply": "Bonjour, votre commande est partie ce matin et arrivera demain chez vous."}', 422, "bad_input",
     "doesn't look like English"),
    ('{"items": []}'.encode(), 422, "invalid_request", "items"),
])
def test_bad_input_is_a_clear_json_error(server, content, status, code, says):
    path = "/api/v1/batch" if b"items" in content else "/api/v1/check"
    response = httpx.post(f"{server.url}{path}", content=content, headers={"content-type": "application/json"})
    assert says in _error(response, status, code)


def test_validation_errors_never_echo_the_reply(server):
    secret = "my card is 4111 1111 1111 1111"
    response = httpx.post(f"{server.url}/api/v1/check", json={"reply": secret, "channel": "fax"})
    _error(response, 422, "invalid_request")
    assert "4111" not in response.text


def test_too_large_body_is_refused_before_it_is_read(server):
    response = httpx.post(f"{server.url}/api/v1/check", content=b'{"reply": "' + b"a" * 2_000_000 + b'"}',
                          headers={"content-type": "application/json"})
    assert "larger than this server's limit of 1,048,576 bytes" in _error(response, 413, "too_large")


def test_too_large_streamed_body_is_refused(server):
    def chunks():
        yield b'{"reply": "'
        for _ in range(40):  # 40 x 64 KiB, no Content-Length: counted as it arrives
            yield b"a" * 65_536
        yield b'"}'

    response = httpx.post(f"{server.url}/api/v1/check", content=chunks(), headers={"content-type": "application/json"})
    _error(response, 413, "too_large")


@pytest.mark.parametrize("field", ["reply", "customer_message"])
def test_text_longer_than_the_check_page_allows_is_refused(server, field):
    body = {"reply": "Hi, thanks.", field: "word " * 4001}
    message = _error(httpx.post(f"{server.url}/api/v1/check", json=body), 413, "too_large")
    assert "20,005 characters long" in message and "up to 20,000 characters" in message


def test_unknown_endpoint_is_json_404(server):
    _error(httpx.get(f"{server.url}/api/v1/nothing"), 404, "not_found")


def test_wrong_token_is_refused(server):
    response = httpx.post(f"{server.url}/api/v1/check", json={"reply": REPLY},
                          headers={"Authorization": "Bearer coach_wrong"})
    assert "Unknown or revoked API token" in _error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_token_required_by_the_strict_server(strict_server, team_tokens):
    _error(httpx.post(f"{strict_server.url}/api/v1/check", json={"reply": REPLY}), 401, "unauthorized")
    lt = httpx.post(f"{strict_server.url}/v2/check", data={"text": "Hi", "language": "en-US"})
    assert lt.status_code == 401 and lt.text.startswith("Error: This server needs an API token")
    marker = f"Zanzibar-{time.time_ns()}"
    response = httpx.post(f"{strict_server.url}/api/v1/check", json={"reply": f"Hi {marker}, I have reset it."},
                          headers={"Authorization": f"Bearer {team_tokens['Support US']}"})
    assert response.status_code == 200 and response.json()["schema"] == "coach.report/1"
    time.sleep(0.2)
    assert marker in strict_server.log()  # --log-text: the admin asked for texts in the log


def test_revoked_token_stops_working(server, server_database):
    from .conftest import coach_cli

    token = coach_cli(server_database, "serve", "tokens", "create", "--team", "Temps").stdout.strip()
    listed = coach_cli(server_database, "serve", "tokens", "list").stdout
    token_id = next(line.split()[0] for line in listed.splitlines() if "Temps" in line)
    assert token not in listed and token[:12] in listed
    assert coach_cli(server_database, "serve", "tokens", "revoke", token_id).returncode == 0
    response = httpx.post(f"{server.url}/api/v1/check", json={"reply": REPLY},
                          headers={"Authorization": f"Bearer {token}"})
    _error(response, 401, "unauthorized")


def test_rate_limit_per_token(strict_server, team_tokens):
    billing = {"Authorization": f"Bearer {team_tokens['Billing']}"}
    statuses = [httpx.post(f"{strict_server.url}/api/v1/check", json={"reply": "Hi, your refund is on its way."},
                           headers=billing, timeout=30).status_code for _ in range(STRICT_RATE_LIMIT + 1)]
    assert statuses == [200] * STRICT_RATE_LIMIT + [429]
    refused = httpx.post(f"{strict_server.url}/api/v1/check", json={"reply": "Hi."}, headers=billing)
    assert "Too many requests: the limit is 4 a minute (team Billing)" in _error(refused, 429, "rate_limited")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # the same limit over the LanguageTool protocol, in its plain-text error form
    lt = httpx.post(f"{strict_server.url}/t/{team_tokens['Billing']}/v2/check", data={"text": "Hi", "language": "en"})
    assert lt.status_code == 429 and lt.text.startswith("Error: Too many requests")
    # another team's allowance is its own
    other = httpx.post(f"{strict_server.url}/api/v1/check", json={"reply": "Hi, your refund is on its way."},
                       headers={"Authorization": f"Bearer {team_tokens['Support EU']}"})
    assert other.status_code == 200


def test_batch_counts_each_item_against_the_limit(strict_server, team_tokens):
    items = [{"reply": "Hi, done."}] * (STRICT_RATE_LIMIT + 1)
    response = httpx.post(f"{strict_server.url}/api/v1/batch", json={"items": items},
                          headers={"Authorization": f"Bearer {team_tokens['Support US']}"})
    assert "more than this server's limit of 4 a minute" in _error(response, 429, "rate_limited")


def test_cors_lets_the_configured_add_on_in(strict_server):
    preflight = httpx.options(f"{strict_server.url}/v2/check", headers={
        "Origin": CORS_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == CORS_ORIGIN
    stranger = httpx.options(f"{strict_server.url}/v2/check", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in stranger.headers


def test_default_server_sends_no_cors_headers(server):
    response = httpx.get(f"{server.url}/api/v1/health", headers={"Origin": CORS_ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_log_has_one_line_per_request_and_no_text_or_token(server, team_tokens):
    marker = f"Zanzibar-{time.time_ns()}"
    token = team_tokens["Support EU"]
    httpx.post(f"{server.url}/api/v1/check", json={"reply": f"Hi {marker}, I have reset it."},
               headers={"Authorization": f"Bearer {token}"})
    httpx.post(f"{server.url}/t/{token}/v2/check", data={"text": f"Hi {marker}, done.", "language": "en-US"})
    time.sleep(0.2)
    log = server.log()
    assert marker not in log and token not in log
    assert "POST /api/v1/check 200" in log and "team Support EU" in log
