"""Shared fixtures (one conftest, as spaCy does). Analyser tests use the real pinned pipeline."""
from __future__ import annotations

import pytest

from coach.nlp import load_nlp


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API leaves an event loop on the main thread, and
    the server tests' asyncio.run() must not find one."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
