"""Reports for a fixed set of replies, one JSON line each, to show that a speed change changes no
report: run it with the code before and after (from each code tree, as the working directory) and
compare the two files (`cmp before.jsonl after.jsonl`). The script imports the code of the tree it
is in: put a copy in the old tree's bench/ folder to run it there.

    python bench/same_reports.py OUT.jsonl [--politeness CSV] [--requests N]

The replies: the bench's short/typical/long texts; every sample reply with its customer's message,
without it, and as a mid-chat turn; the feedback drafts (tests/feedback/drafts.yaml) and their
revisions; every rule example; and the first N requests (default 400) of the Wikipedia politeness
CSV when it is there (../shared/data/dev/politeness by default; it is not in the repository).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import LENGTHS, text_of_length  # noqa: E402
from coach import InputError, analyze  # noqa: E402
from coach.analyzers import REGISTRY  # noqa: E402
from coach.config import DATA_DIR  # noqa: E402
from coach.datafiles import load_yaml  # noqa: E402
from coach.rules import load_ruleset  # noqa: E402
from coach.samples import load_samples  # noqa: E402

POLITENESS = ROOT.parent / "shared" / "data" / "dev" / "politeness" / "wikipedia.annotated.csv"
CHAT_HISTORY = [{"role": "customer", "text": "hi"}, {"role": "agent", "text": "hello"}]


def replies(politeness: Path, requests: int) -> list[tuple[str, dict]]:
    """(key, analyze() arguments) for every reply of the set."""
    found = [(f"bench-{name}", {"text": text_of_length(words)}) for name, words in LENGTHS.items()]
    for case in load_samples():
        for reply in case.replies:
            found += [(f"sample-{case.id}-{reply.id}", {"text": reply.text, "customer_message": case.customer}),
                      (f"sample-alone-{case.id}-{reply.id}", {"text": reply.text}),
                      (f"sample-chat-{case.id}-{reply.id}", {"text": reply.text, "customer_message": case.customer,
                                                             "channel": "chat", "history": CHAT_HISTORY})]
    for draft in load_yaml(ROOT / "tests" / "feedback" / "drafts.yaml")["items"]:
        for field in ("reply", "revised"):
            if draft.get(field):
                found.append((f"draft-{field}-{draft['id']}", {"text": draft[field],
                                                               "customer_message": draft.get("customer")}))
    for name in [*REGISTRY, "customer"]:
        if not (DATA_DIR / f"{name}.yaml").exists():
            continue
        for rule in load_ruleset(name).rules:
            for kind, examples in (("flag", rule.flag_examples), ("pass", rule.pass_examples)):
                found += [(f"rule-{rule.id}-{kind}-{index}", {"text": example.text, "channel": example.channel,
                                                              "customer_message": example.customer})
                          for index, example in enumerate(examples)]
    if not politeness.exists():
        print(f"no {politeness}: the politeness requests are left out", file=sys.stderr)
        return found
    with open(politeness, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:requests]
    return found + [(f"politeness-{row['Id']}", {"text": row["Request"]}) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--politeness", type=Path, default=POLITENESS)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    items = replies(args.politeness, args.requests)
    with open(args.out, "w", encoding="utf-8") as out:
        for key, arguments in items:
            try:
                result = analyze(**arguments).to_dict()
            except InputError as exc:
                result = {"error": str(exc)}
            out.write(json.dumps({"key": key, "result": result}, sort_keys=True) + "\n")
    print(f"{len(items)} reports written to {args.out}")


if __name__ == "__main__":
    main()
