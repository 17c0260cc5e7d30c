"""Security cases (eval/sets/security-cases.yaml): replies that ask the customer for a secret in
varied phrasings, which must raise an ask finding, and safe replies that mention passwords and
codes, which must raise no security finding at all.

Reports recall on the unsafe replies and the share of safe replies left alone, with the ids of any
case the analyser gets wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.config import PROJECT_ROOT
from coach.datafiles import field, load_yaml
from coach.errors import DataFileError

CASES_FILE = PROJECT_ROOT / "eval" / "sets" / "security-cases.yaml"
ASK_RULES = ("security.asks-for-password", "security.asks-for-card-number")


@dataclass(frozen=True)
class SecurityCase:
    id: str
    text: str
    unsafe: bool


def load_cases(path: Path = CASES_FILE) -> list[SecurityCase]:
    raw = load_yaml(path)
    cases, seen = [], set()
    for index, item in enumerate(field(raw, "cases", list, path, "")):
        where = f"cases[{index}]"
        case = SecurityCase(field(item, "id", str, path, where), field(item, "text", str, path, where),
                            field(item, "unsafe", bool, path, where))
        if case.id in seen:
            raise DataFileError(path, f"{where}.id", f"duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    return cases


def run() -> dict[str, Any]:
    from coach.engine import analyze

    cases = load_cases()
    missed, flagged = [], []
    for case in cases:
        findings = analyze(case.text).findings_of("security")
        if case.unsafe and not any(f.rule in ASK_RULES for f in findings):
            missed.append(case.id)
        if not case.unsafe and findings:
            flagged.append(case.id)
    unsafe = sum(case.unsafe for case in cases)
    safe = len(cases) - unsafe
    path = str(CASES_FILE.relative_to(PROJECT_ROOT))
    return {
        "security-unsafe-requests": {"measure": "recall", "value": round((unsafe - len(missed)) / unsafe, 3),
                                     "n": unsafe, "path": path, "missed": missed},
        "security-safe-replies": {"measure": "share not flagged", "value": round((safe - len(flagged)) / safe, 3),
                                  "n": safe, "path": path, "flagged": flagged},
    }
