"""`coach serve` (the HTTP server) and `coach serve tokens create|list|revoke` (teams' API tokens).

Registered into coach.cli by register(). Bad input raises CoachError subclasses; coach.cli prints
the one-line message and exits with 2.
"""
from __future__ import annotations

import argparse
import copy
import os
import sys

from coach.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the HTTP server (LanguageTool-compatible /v2/check and the /api/v1 JSON API)",
        description="Serve Support Coach over HTTP. Loopback only unless --host says otherwise.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for everyone)")
    serve.add_argument("--port", type=int, default=8081, help="port (default 8081, LanguageTool's usual)")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes, each with its own pipeline (about 400 MB each; default 1)")
    serve.add_argument("--require-token", action="store_true",
                       help="refuse requests without a team's API token (see `coach serve tokens create`)")
    serve.add_argument("--rate-limit", type=int, default=600, metavar="N",
                       help="requests a minute per token (or per address without one); default 600")
    serve.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                       help="let pages or add-ons from ORIGIN call the server from a browser (repeatable; "
                            "e.g. chrome-extension://ID; '*' for any)")
    serve.add_argument("--max-queue", type=int, default=64, metavar="N",
                       help="requests a worker holds (waiting or being checked) before it answers 503 at once; "
                            "default 64")
    serve.add_argument("--log-text", action="store_true",
                       help="also log the text of every checked reply (off by default: replies stay out of logs)")
    serve.set_defaults(handler=_run_serve)

    commands = serve.add_subparsers(dest="serve_command")
    tokens = commands.add_parser("tokens", help="manage teams' API tokens")
    token_commands = tokens.add_subparsers(dest="tokens_command", required=True)
    create = token_commands.add_parser("create", help="make a token for a team and print it (once)")
    create.add_argument("--team", required=True, help="the team (created if new)")
    create.add_argument("--label", help="what the token is for, e.g. 'Zendesk add-on'")
    create.set_defaults(handler=_run_tokens_create)
    listing = token_commands.add_parser("list", help="list tokens (never the tokens themselves)")
    listing.set_defaults(handler=_run_tokens_list)
    revoke = token_commands.add_parser("revoke", help="stop a token working (within 30 s on running servers)")
    revoke.add_argument("id", type=int, help="the token's id, from `coach serve tokens list`")
    revoke.set_defaults(handler=_run_tokens_revoke)


# ServerSettings fields named differently on the command line
_OPTIONS = {"rate_limit_per_minute": "rate-limit", "cors_origins": "cors-origin"}


def log_config() -> dict:
    """Uvicorn's logging, with the server's own one-line-per-request log in the same format.
    Uvicorn's access log is off: it would show a token given in the address."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["coach.server"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _run_serve(args: argparse.Namespace) -> int:
    import uvicorn
    from pydantic import ValidationError

    from coach.server.settings import ServerSettings

    try:
        settings = ServerSettings(host=args.host, port=args.port, workers=args.workers,
                                  require_token=args.require_token, rate_limit_per_minute=args.rate_limit,
                                  cors_origins=tuple(args.cors_origin), log_text=args.log_text,
                                  max_queue=args.max_queue)
    except ValidationError as exc:
        error = exc.errors()[0]
        option = _OPTIONS.get(str(error["loc"][0]), str(error["loc"][0]).replace("_", "-"))
        raise InputError(f"--{option}: {error['msg']}") from None
    if not settings.loopback and not settings.require_token:
        sys.stderr.write(f"coach: warning: listening on {settings.host} without --require-token: anyone who "
                         "can reach this machine can use the server.\n")
    if settings.log_text:
        sys.stderr.write("coach: warning: --log-text puts customers' and agents' texts in the log.\n")
    os.environ.update(settings.to_environment())
    uvicorn.run("coach.server.app:app_from_environment", factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, access_log=False, log_config=log_config(), server_header=False)
    return 0


def _run_tokens_create(args: argparse.Namespace) -> int:
    from coach.store.api_tokens import create_token
    from coach.store.db import open_store

    with open_store().write() as session:
        token, info = create_token(session, args.team, args.label)
    sys.stdout.write(f"{token}\n")
    sys.stderr.write(f"API token {info.id} for team {info.team}, shown only now. Clients send it as "
                     "'Authorization: Bearer TOKEN', or, for LanguageTool clients, in the server address: "
                     "http://HOST:8081/t/TOKEN/v2\n")
    return 0


def _run_tokens_list(args: argparse.Namespace) -> int:
    from coach.store.api_tokens import list_tokens
    from coach.store.db import open_store

    with open_store().read() as session:
        tokens = list_tokens(session)
    if not tokens:
        sys.stdout.write("No API tokens yet: `coach serve tokens create --team NAME` makes one.\n")
        return 0
    for info in tokens:
        state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}" if info.revoked_at else "active"
        sys.stdout.write(f"{info.id:>4}  {info.team:<24} {info.prefix}...  {info.created_at:%Y-%m-%d}  "
                         f"{state:<24} {info.label or ''}\n".rstrip() + "\n")
    return 0


def _run_tokens_revoke(args: argparse.Namespace) -> int:
    from coach.store.api_tokens import revoke_token
    from coach.store.db import open_store

    with open_store().write() as session:
        info = revoke_token(session, args.id)
    sys.stdout.write(f"API token {info.id} of team {info.team} is revoked.\n")
    return 0
