"""Shared fixtures (one conftest, as spaCy does). Analyser tests use the real pinned pipeline."""
from __future__ import annotations

import pytest

from coach.nlp import load_nlp


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()
