"""Exports a manager can take away: the underlying rows as CSV, and a self-contained HTML report.

Every text that came from a user (names, quotes, feedback titles) is escaped in the HTML, and text
cells that a spreadsheet would run as a formula are defused in the CSV, per OWASP's CSV injection
guidance: a cell whose first visible character is =, +, -, @ (or their full-width forms ＝ ＋ － ＠),
or which starts with a tab or carriage return, gets a leading apostrophe, even when spaces, line
breaks or invisible characters (zero-width space, BOM, ...) come before the trigger.
The HTML report draws its charts as inline SVG (no script, no file next to it, nothing fetched), each
line labelled at its end, so it reads the same when attached to an e-mail and opened anywhere.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime
from html import escape

import pandas as pd

from coach.rule_names import dimension_name
from coach.store.progress import Period

# The web app's palette (webapp/charts.py): Okabe-Ito, colour-blind safe; overall in black.
LINE_COLOURS = {"overall": "#000000", "jargon": "#E69F00", "readability": "#56B4E9", "tone": "#009E73",
                "empathy": "#CC79A7", "grammar": "#0072B2", "security": "#D55E00"}
SPARE_COLOURS = ("#999999", "#882255", "#44AA99", "#F0E442")

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


def spread(values: list[float], gap: float) -> list[float]:
    """Heights near `values`, in their order, at least `gap` apart (raised from the lowest up), so
    labels at the ends of lines never overlap."""
    placed = [0.0] * len(values)
    previous = None
    for index in sorted(range(len(values)), key=lambda i: values[i]):
        previous = values[index] if previous is None else max(values[index], previous + gap)
        placed[index] = previous
    return placed


def trend_svg(trend: pd.DataFrame, title: str, width: int = 760, height: int = 320) -> str:
    """A line chart of `trend` (long: week, dimension, score 0-100) as an inline SVG, each line named at
    its last point; a <title> and aria-label describe it for screen readers."""
    if trend.empty:
        return ""
    left, right, top, bottom = 44, 120, 30, 36
    weeks = sorted(pd.to_datetime(trend["week"]).unique())
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(week) -> float:
        return left + (weeks.index(week) / (len(weeks) - 1) * plot_w if len(weeks) > 1 else plot_w / 2)

    def y(score: float) -> float:
        return top + (1 - score / 100) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" style="font:12px system-ui,sans-serif">', f"<title>{escape(title)}</title>",
             f'<text x="{left}" y="16" font-weight="bold">{escape(title)}</text>']
    for score in range(0, 101, 20):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(score):.1f}" y2="{y(score):.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(score) + 4:.1f}" text-anchor="end" fill="#555">{score}</text>')
    for week in weeks:
        parts.append(f'<text x="{x(week):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#555">'
                     f'{pd.Timestamp(week):%d %b}</text>')
    spare = iter(SPARE_COLOURS * 4)
    ends = []
    for name, group in trend.assign(week=pd.to_datetime(trend["week"])).groupby("dimension", sort=False):
        group = group.dropna(subset=["score"]).sort_values("week")
        if group.empty:
            continue
        colour = LINE_COLOURS.get(name) or next(spare)
        points = " ".join(f"{x(w):.1f},{y(v):.1f}" for w, v in zip(group["week"], group["score"]))
        stroke = 3.5 if name == "overall" else 2
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="{stroke}" points="{points}"/>')
        parts += [f'<circle cx="{x(w):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
                  for w, v in zip(group["week"], group["score"])]
        ends.append((name, colour, group["week"].iloc[-1], group["score"].iloc[-1]))
    # labels 14 px apart at least: y grows downwards, so spread the negated heights
    heights = spread([-y(last) for *_, last in ends], 14)
    for (name, colour, last_week, last), height in zip(ends, heights):
        parts.append(f'<text x="{x(last_week) + 8:.1f}" y="{-height + 4:.1f}" fill="{colour}" font-weight="bold">'
                     f'{escape(dimension_name(str(name)))} {last:.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_report(title: str, period: Period, comparison: pd.DataFrame, people: pd.DataFrame,
                points: pd.DataFrame, generated: datetime, trend: pd.DataFrame | None = None,
                team_words: pd.DataFrame | None = None) -> str:
    """A standalone HTML page: period averages, the weekly trend chart (inline SVG), the per-person
    table, the top coaching points (by their names, never rule ids) and (when given) the team's own
    terms and approved words."""
    comparison_table = comparison.reset_index()
    comparison_table["dimension"] = comparison_table["dimension"].map(dimension_name)
    comparison_table.columns = [dimension_name(c) for c in comparison_table.columns]
    people_table = people.drop(columns=["user_id"], errors="ignore")
    people_table.columns = [dimension_name(c) for c in people_table.columns]
    points_table = points[["point", "occurrences", "replies", "people", "examples"]] if not points.empty \
        else points
    points_table.columns = [dimension_name(c) for c in points_table.columns]
    chart = trend_svg(trend, "Team: weekly average per skill") if trend is not None else ""
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p class=\"muted\">{period.start:%d %b %Y} to {period.end - pd.Timedelta(days=1):%d %b %Y}, compared with "
        f"the {period.days} days before. Generated {generated:%d %b %Y %H:%M} UTC. Scores are 0-100, "
        "higher is better; personal data in quotes was redacted before storage.</p>"
        "<h2>Team average per skill</h2>"
        + _table(comparison_table, change_columns=("Change",))
        + (f"<figure>{chart}</figure>" if chart else "")
        + "<h2>People</h2>"
        + _table(people_table, change_columns=("Change since first two weeks",))
        + "<h2>Most frequent coaching points</h2>"
        + _table(points_table)
        + ("<h2>Team terms and approved words</h2>" + _table(team_words.drop(columns=["updated_at"], errors="ignore"))
           if team_words is not None and not team_words.empty else "")
        + "</body></html>"
    )
