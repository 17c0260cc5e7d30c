"""Rebuildable files Support Coach keeps between runs (in textstats.cache_dir()), read and written
so that a damaged, foreign or half-written file is never trusted and a read-only home never fails
the caller: the worst case is building the content again."""
from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)


def read_json(path: Path | None, format_version: int) -> dict | None:
    """The file's fields other than "format", or None when it is missing, damaged or of another
    format version (the caller checks the fields it needs)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != format_version:
        return None
    return {key: value for key, value in data.items() if key != "format"}


def write_json(path: Path | None, format_version: int, fields: dict) -> None:
    """Write atomically, so a concurrent process never reads half a file; never fail the caller."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"format": format_version, **fields}, out, separators=(",", ":"))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        logger.info("Not caching %s in %s (%s); it is rebuilt on each start.", path.name, path.parent, exc)
