"""Loading and validating the YAML data files (glossary, rules, scenarios, feedback phrasings).

Every problem is raised as DataFileError naming the file and the field.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from coach.errors import DataFileError

# libyaml's loader is several times faster; it matters for start-up (the glossary alone is ~4,000 lines)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except OSError as exc:
        raise DataFileError(path, "", f"cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise DataFileError(path, "", "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise DataFileError(path, where, f"invalid YAML ({getattr(exc, 'problem', exc)})") from None


def field(mapping: Any, key: str, kind: type | tuple[type, ...], path: Path, where: str,
          default: Any = ..., allow_empty: bool = False) -> Any:
    """Return mapping[key] checked against `kind`; raise DataFileError naming `where.key`."""
    if not isinstance(mapping, dict):
        raise DataFileError(path, where, "must be a mapping")
    label = f"{where}.{key}" if where else key
    if key not in mapping or mapping[key] is None:
        if default is not ...:
            return default
        raise DataFileError(path, label, "missing")
    value = mapping[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise DataFileError(path, label, f"must be {names}, got {type(value).__name__}")
    if not allow_empty and isinstance(value, (str, list, dict)) and not value:
        raise DataFileError(path, label, "must not be empty")
    return value


def string_list(mapping: Any, key: str, path: Path, where: str, default: Any = ...) -> list[str]:
    values = field(mapping, key, list, path, where, default=default)
    for index, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise DataFileError(path, f"{where}.{key}[{index}]", "must be a non-empty string")
    return values


class StrictSettings(BaseModel):
    """Base of every settings model: unknown keys are errors (a typo must not pass silently), and
    loaded settings are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validate(model: type[BaseModel], raw: Any, path: Path, where: str) -> BaseModel:
    """`raw` checked against a pydantic settings model; the first problem raised as DataFileError
    naming the field, e.g. `coach/data/tone.yaml: settings.shouting.min_letters: ...`."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        location = ".".join([*([where] if where else []), *(str(part) for part in error["loc"])])
        raise DataFileError(path, location, error["msg"]) from None


def _normalised_words(words: frozenset[str]) -> frozenset[str]:
    if any(not word.strip() for word in words):
        raise ValueError("must not hold an empty word")
    return frozenset(word.lower().replace("’", "'") for word in words)


# A settings field holding words or short phrases compared with the lowercased text (spaCy's
# `lower_`): stored lowercase with straight apostrophes, so an entry written "Monday" or "don’t"
# still matches.
WordSet = Annotated[frozenset[str], AfterValidator(_normalised_words)]

_Weights = TypeVar("_Weights", bound=BaseModel)


def load_weights(model: type[_Weights], path: Path, features: Iterable[str]) -> _Weights:
    """A fitted score model's weights file (`intercept`, `weights`: feature -> points, ...), checked
    against `model`; a weight for a feature the analyser doesn't compute is an error naming it."""
    weights = validate(model, load_yaml(path), path, "")
    unknown = set(getattr(weights, "weights")) - set(features)
    if unknown:
        raise DataFileError(path, "weights", f"unknown feature(s) {', '.join(sorted(unknown))}")
    return weights
