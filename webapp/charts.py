"""The app's Altair charts: weekly trend lines with a colour-blind-safe palette and direct labels
(each line named at its last point, so no legend lookup is needed)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from coach.rule_names import dimension_name
from coach.store.export import spread

# Okabe-Ito: distinguishable with every common colour-vision deficiency; the overall line is black.
PALETTE = {"overall": "#000000", "all skills": "#000000", "jargon": "#E69F00", "readability": "#56B4E9",
           "tone": "#009E73", "empathy": "#CC79A7", "grammar": "#0072B2", "security": "#D55E00"}
SPARE = ("#999999", "#F0E442", "#882255", "#44AA99")
# the smallest distance between two end labels, as a share of the value axis
LABEL_GAP = 0.045


def colour_scale(names: list[str]) -> alt.Scale:
    labels = [dimension_name(n) for n in names]
    colours = [PALETTE.get(n, SPARE[i % len(SPARE)]) for i, n in enumerate(names)]
    return alt.Scale(domain=labels, range=colours)


def trend_chart(long: pd.DataFrame, title: str, value: str, value_title: str, domain: tuple[float, float],
                value_format: str = ".0f", extra_tooltip: tuple[str, ...] = ()) -> alt.LayerChart:
    """Lines of `value` per week and `dimension`, each labelled at its last week."""
    data = long.copy()
    names = list(dict.fromkeys(data["dimension"]))
    data["skill"] = data["dimension"].map(dimension_name)
    data["emphasis"] = data["dimension"].isin(["overall", "all skills"])
    colour = alt.Color("skill:N", scale=colour_scale(names), legend=None)
    base = alt.Chart(data).encode(
        x=alt.X("yearmonthdate(week):O", title="Week of", axis=alt.Axis(format="%d %b", labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=value_title, scale=alt.Scale(domain=list(domain))),
        color=colour)
    lines = base.mark_line(point=True).encode(
        strokeWidth=alt.condition(alt.datum.emphasis, alt.value(3.5), alt.value(2)),
        tooltip=[alt.Tooltip("week:T", title="Week of", format="%d %b %Y"), alt.Tooltip("skill:N", title="Skill"),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=value_format), *extra_tooltip])
    last = data.sort_values("week").groupby("dimension", as_index=False).tail(1)
    last = last.assign(label_at=spread(list(last[value]), (domain[1] - domain[0]) * LABEL_GAP))
    labels = alt.Chart(last).mark_text(align="left", dx=8, fontSize=12, fontWeight="bold").encode(
        x=alt.X("yearmonthdate(week):O"), y=alt.Y("label_at:Q"), text="skill:N", color=colour)
    # room on the right for the labels
    return alt.layer(lines, labels, title=title).properties(padding={"right": 90})
