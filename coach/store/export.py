"""Exports a manager can take away: the underlying rows as CSV, and a self-contained HTML report.

Every text that came from a user (names, quotes, feedback titles) is escaped in the HTML, and text
cells that a spreadsheet would run as a formula are defused in the CSV, per OWASP's CSV injection
guidance: a cell whose first visible character is =, +, -, @ (or their full-width forms ＝ ＋ － ＠),
or which starts with a tab or carriage return, gets a leading apostrophe, even when spaces, line
breaks or invisible characters (zero-width space, BOM, ...) come before the trigger.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime
from html import escape

import pandas as pd

from coach.store.progress import Period

_FORMULA_START = frozenset("=+-@\t\r")


def _first_visible(text: str) -> str:
    """The first character that is neither white space nor invisible (format characters such as
    the zero-width space), in its compatibility form (full-width ＝ reads as =)."""
    for char in text:
        if char in _FORMULA_START:
            return char
        if char.isspace() or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp"):
            continue
        return unicodedata.normalize("NFKC", char)[:1]
    return ""


def _defuse(value: object) -> object:
    if isinstance(value, str) and _first_visible(value) in _FORMULA_START:
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV (with a BOM, so spreadsheet programs read accents right). Rows end in CRLF
    (RFC 4180), so a cell holding a line break of either kind is quoted and stays one cell."""
    return frame.map(_defuse).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _number(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return escape(str(value))


def _change(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{float(value):+.1f}"


def _table(frame: pd.DataFrame, change_columns: tuple[str, ...] = ()) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record):
            if isinstance(value, list):
                text = "<br>".join(f"“{escape(str(v))}”" for v in value)
            elif column in change_columns:
                text = _change(value)
            else:
                text = _number(value)
            cells.append(f"<td>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:70rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;
vertical-align:top}th{background:#f3f3f3}h1{margin-bottom:.2rem}.muted{color:#666}
"""


def html_report(title: str, period: Period, comparison: pd.DataFrame, people: pd.DataFrame,
                points: pd.DataFrame, generated: datetime, team_words: pd.DataFrame | None = None) -> str:
    """A standalone HTML page: period averages, the per-person table, the top coaching points and
    (when given) the team's own terms and approved words."""
    comparison_table = comparison.reset_index()
    people_table = people.drop(columns=["user_id"], errors="ignore")
    points_table = points[["point", "rule", "occurrences", "replies", "people", "examples"]] if not points.empty \
        else points
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p class=\"muted\">{period.start:%d %b %Y} to {period.end - pd.Timedelta(days=1):%d %b %Y}, compared with "
        f"the {period.days} days before. Generated {generated:%d %b %Y %H:%M} UTC. Scores are 0-100, "
        "higher is better; personal data in quotes was redacted before storage.</p>"
        "<h2>Team average per skill</h2>"
        + _table(comparison_table, change_columns=("change",))
        + "<h2>People</h2>"
        + _table(people_table, change_columns=("change since first two weeks",))
        + "<h2>Most frequent coaching points</h2>"
        + _table(points_table)
        + ("<h2>Team terms and approved words</h2>" + _table(team_words.drop(columns=["updated_at"], errors="ignore"))
           if team_words is not None and not team_words.empty else "")
        + "</body></html>"
    )
