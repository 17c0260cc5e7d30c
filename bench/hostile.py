"""Hostile input at scale: N generated inputs (default 10,000) through analyze(), revise() and
`coach check`, counting every exception that is not an InputError (the target is 0).

    python bench/hostile.py [--inputs 10000] [--seed 0]

Uses the strategies of the property suite (tests/hostile_strategies.py). Writes
bench/results/hostile.json: inputs run, InputErrors, other exceptions (type, message and the input's
repr, for each of the first 20), and the slowest input's time.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # hostile_strategies (a site-packages `tests` package may shadow ours)

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from coach import analyze, revise  # noqa: E402
from coach.cli import main as cli_main  # noqa: E402
from coach.errors import InputError  # noqa: E402
import hostile_strategies as hs  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "hostile.json"


def run(count: int, random_seed: int) -> dict:
    outcomes: Counter[str] = Counter()
    failures: list[dict] = []
    slowest = (0.0, "")
    folder = Path(tempfile.mkdtemp(prefix="coach-hostile-"))

    def record(kind: str, value: object, call) -> None:
        nonlocal slowest
        started = time.perf_counter()
        try:
            call()
            outcomes["ok"] += 1
        except InputError:
            outcomes["input_error"] += 1
        except Exception as exc:  # noqa: BLE001 - counting these is the point
            outcomes["other_exception"] += 1
            if len(failures) < 20:
                failures.append({"entry": kind, "type": type(exc).__name__, "message": str(exc)[:300],
                                 "input": repr(value)[:300], "where": traceback.format_exc(limit=-3)[-800:]})
        elapsed = time.perf_counter() - started
        if elapsed > slowest[0]:
            slowest = (elapsed, f"{kind}: {repr(value)[:120]}")

    def check_file(data: bytes) -> None:
        path = folder / "reply.txt"
        path.write_bytes(data)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            status = cli_main(["check", "--json", str(path)])
        if status not in (0, 2) or "Traceback" in err.getvalue():
            raise RuntimeError(f"coach check exited {status}: {err.getvalue()[-300:]}")

    entry = st.one_of(
        st.tuples(st.just("analyze"), st.tuples(hs.reply_text, hs.customer_text, hs.audience, hs.channel,
                                                hs.dimensions, hs.history)),
        st.tuples(st.just("analyze-wrong-kind"), st.tuples(hs.wrong_kind, st.one_of(hs.customer_text, hs.wrong_kind))),
        st.tuples(st.just("revise"), st.tuples(hs.reply_text, hs.customer_text)),
        st.tuples(st.just("cli"), hs.file_bytes),
    )

    @seed(random_seed)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(entry)
    def one(case) -> None:
        kind, value = case
        if kind == "analyze":
            text, customer, audience, channel, dimensions, history = value
            record(kind, value, lambda: analyze(text, customer_message=customer, audience=audience, channel=channel,
                                                dimensions=dimensions, history=history))
        elif kind == "analyze-wrong-kind":
            record(kind, value, lambda: analyze(value[0], customer_message=value[1]))
        elif kind == "revise":
            record(kind, value, lambda: revise(value[0], customer_message=value[1]))
        else:
            record(kind, value, lambda: check_file(value))

    began = time.perf_counter()
    one()
    return {"inputs": sum(outcomes.values()), "ok": outcomes["ok"], "input_errors": outcomes["input_error"],
            "other_exceptions": outcomes["other_exception"], "failures": failures,
            "slowest_s": round(slowest[0], 2), "slowest_input": slowest[1],
            "seconds": round(time.perf_counter() - began)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    analyze("Hi Sam, thanks for waiting.")  # load the pipeline before timing anything
    results = run(args.inputs, args.seed)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"{results['inputs']} generated inputs: {results['ok']} reports, {results['input_errors']} InputErrors, "
          f"{results['other_exceptions']} other exceptions; slowest {results['slowest_s']}s "
          f"({results['slowest_input']}) in {results['seconds']}s -> {RESULTS.relative_to(ROOT)}")
    for failure in results["failures"]:
        print(f"  {failure['entry']}: {failure['type']}: {failure['message']}  input={failure['input'][:100]}")


if __name__ == "__main__":
    main()
