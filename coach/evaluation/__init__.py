"""`coach eval`: how far Support Coach's findings and scores agree with people.

- precision of every rule on judged findings (coach.evaluation.judged, eval/judged/*.yaml);
- agreement with human labels on each labelled set (coach.evaluation.suites).
The figures go to eval/results/latest.json in the shape ../shared/DESIGN.md gives.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from coach.config import PROJECT_ROOT
from coach.errors import InputError
from coach.evaluation.judged import load_judged, precision
from coach.evaluation.suites import SUITES

RESULTS_FILE = PROJECT_ROOT / "eval" / "results" / "latest.json"


def suite_names() -> list[str]:
    return [module.__name__.rsplit(".", 1)[-1].replace("_", "-") for module in SUITES]


def run_eval(only: Iterable[str] | None = None,
             extra: dict[str, Callable[[], dict[str, Any]]] | None = None) -> dict[str, Any]:
    """Run the judged findings ("precision") and the suites (by name; default all)."""
    wanted = set(only) if only is not None else None
    names = suite_names()
    unknown = (wanted or set()) - {"precision", *names, *(extra or {})}
    if unknown:
        raise InputError(f"Unknown set(s) {', '.join(sorted(unknown))}: use precision, {', '.join(names)}.")
    results: dict[str, Any] = {"precision": None, "agreement": {}, "sets": {}}
    if wanted is None or "precision" in wanted:
        items = load_judged()
        results["precision"] = precision(items)
        results["sets"]["judged-findings"] = {"path": "eval/judged", "size": len(items)}
    runners = {name: module.run for name, module in zip(names, SUITES)} | dict(extra or {})
    for name, run in runners.items():
        if wanted is not None and name not in wanted and name not in (extra or {}):
            continue
        for set_name, entry in run().items():
            results["agreement"][set_name] = entry
            results["sets"][set_name] = {"path": entry.get("path", ""), "size": entry.get("n", 0)}
    return results


def write_results(results: dict[str, Any], path: Path = RESULTS_FILE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def render(results: dict[str, Any], unjudged_limit: int = 20) -> str:
    """The figures as a person reads them in a terminal."""
    lines = []
    prec = results.get("precision")
    if prec:
        lines.append(f"Rule precision on judged findings: {_fmt(prec['overall'])} overall "
                     f"({prec['judged']} judged on {prec['replies']} replies); "
                     f"scored rules {_fmt(prec['scored_rules'])}")
        for rule, entry in sorted(prec["rules"].items(), key=lambda kv: (kv[1]["precision"], kv[0])):
            kind = "" if entry["scored"] else "  (hint: not scored)"
            lines.append(f"  {rule:<38} {_fmt(entry['precision'])}  of {entry['judged']:>3}{kind}")
        if prec["unjudged"]:
            lines.append(f"  {len(prec['unjudged'])} finding(s) nobody has judged yet, e.g.:")
            for entry in prec["unjudged"][:unjudged_limit]:
                quoted = entry["text"] if len(entry["text"]) <= 60 else entry["text"][:59] + "…"
                lines.append(f"    {entry['source']}: {entry['rule']} {entry['span']} {quoted!r}")
    if results["agreement"]:
        lines.append("Agreement with people:")
        for name, entry in results["agreement"].items():
            extra = f"  ({entry['skipped']})" if entry.get("skipped") else ""
            if entry.get("mean_difference") is not None:
                extra += f"  mean difference {entry['mean_difference']:+.1f} (coach minus people)"
            lines.append(f"  {name:<38} {entry['measure']}: {_fmt(entry.get('value'))}  n={entry.get('n', 0)}{extra}")
    return "\n".join(lines) + "\n"


def _fmt(value: object) -> str:
    if value is None:
        return "  n/a"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{value:5d}" if isinstance(value, int) else f"{value:5.3f}"  # a count stays a whole number
