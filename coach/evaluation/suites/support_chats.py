"""Agreement with people on real support chats (MAIA-DQE agent turns, evaluation only).

- overall score vs the annotators' interaction quality (IQ, 1-5): Spearman;
- tone vs the turn's politeness label (0/1): how often an impolite turn scores below the median;
- empathy: how often a turn with an empathy-labelled sentence outscores one without (AUC, ties
  count half); the label mostly marks pleasantries, so this is a loose check.
"""
from __future__ import annotations

import statistics
from typing import Any

from coach.errors import InputError
from coach.evaluation.chats import agent_turns, chats_dir
from coach.evaluation.stats import auc, spearman


def run() -> dict[str, Any]:
    from coach.engine import analyze

    try:
        turns = agent_turns()
    except InputError as exc:
        return {"support-chats": {"measure": "spearman", "value": None, "n": 0, "skipped": str(exc)}}
    overall, iq, tone, polite, empathy, labelled = [], [], [], [], [], []
    for turn in turns:
        try:
            report = analyze(turn.reply, customer_message=turn.customer, channel="chat",
                             history=turn.history)
        except InputError:
            continue
        if turn.iq is not None and report.overall is not None:
            overall.append(report.overall)
            iq.append(turn.iq)
        if turn.politeness is not None and report.scores.get("tone") is not None:
            tone.append(report.scores["tone"])
            polite.append(turn.politeness)
        if report.scores.get("empathy") is not None:
            empathy.append(report.scores["empathy"])
            labelled.append(turn.empathy_sentences > 0)
    path = str(chats_dir())
    results = {"support-chats-iq": {"measure": "spearman", "value": spearman(overall, iq), "n": len(iq),
                                    "path": path, "scores": "overall vs interaction quality (1-5)"}}
    impolite = [score for score, label in zip(tone, polite) if label == 0]
    if tone and impolite:
        median = statistics.median(tone)
        results["support-chats-impolite"] = {
            "measure": "share below median tone", "value": round(sum(s < median for s in impolite) / len(impolite), 3),
            "n": len(impolite), "path": path}
    with_empathy = [s for s, has in zip(empathy, labelled) if has]
    without = [s for s, has in zip(empathy, labelled) if not has]
    if with_empathy and without:
        results["support-chats-empathy"] = {
            "measure": "AUC: empathy score of turns with an empathy sentence vs without", "n": len(with_empathy),
            "path": path, "value": auc(with_empathy, without)}
    return results
