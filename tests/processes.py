"""A real server process for tests (`coach serve`, `streamlit run`): started on a free loopback
port, polled until its health URL answers, always stopped at the end. Its log goes to a file."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STOP_TIMEOUT_S = 15


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def serving(name: str, command: Callable[[int], list[str]], health_path: str, log_path: Path, *,
            env: dict[str, str] | None = None, start_timeout_s: float) -> Iterator[str]:
    """Run `command(port)` from the project root until the block ends; yields the base URL once
    `health_path` answers 200. A process that exits or stays silent fails the test with its log."""
    log_path.parent.mkdir(exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        process = subprocess.Popen(command(port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        try:
            deadline = time.monotonic() + start_timeout_s
            while not _answers(url + health_path):
                if process.poll() is not None:
                    pytest.fail(f"{name} exited with {process.returncode}:\n{log_path.read_text()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{name} did not answer within {start_timeout_s}s:\n{log_path.read_text()}")
                time.sleep(0.3)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
