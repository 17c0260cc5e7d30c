"""`make bench`: how fast Support Coach is on this machine (a benchmark, not a test).

Prints a table and writes bench/results/latest.json with: latency_ms, parse_ms (short/typical/long:
p50/p95), overhead_ratio, batch_replies_per_s (one_process/all_cores), peak_rss_mb, cold_start_s.
Options: --rows N (bulk size, default 10000), --runs N (latency repetitions, default 30).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach import analyze  # noqa: E402
from coach.config import languagetool_url  # noqa: E402
from coach.nlp import load_nlp  # noqa: E402
from coach.samples import load_samples  # noqa: E402

LENGTHS = {"short": 40, "typical": 120, "long": 600}
RESULTS = ROOT / "bench" / "results" / "latest.json"


def text_of_length(words: int) -> str:
    """Good sample replies joined paragraph by paragraph until `words` words."""
    paragraphs = [p.strip() for case in load_samples() for r in case.replies if r.quality == "good"
                  for p in r.text.split("\n\n")[1:-1] if p.strip()]
    out: list[str] = []
    count = 0
    for paragraph in paragraphs * 10:
        for sentence in paragraph.replace("! ", ". ").split(". "):
            out.append(sentence.rstrip(".") + ".")
            count += len(sentence.split())
            if count >= words:
                return "Hi Sam,\n\n" + " ".join(out) + "\n\nBest regards,\nAlex"
    raise ValueError("not enough sample text")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50": round(statistics.median(ordered), 2),
            "p95": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2)}


def time_ms(function, runs: int) -> list[float]:
    function()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bulk_csv(path: Path, rows: int) -> None:
    replies = [(case.customer, r.text) for case in load_samples() for r in case.replies]
    greetings = ("Hi,", "Hello,", "Hi there,", "Good morning,")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "customer", "reply"])
        for index in range(rows):
            customer, reply = replies[index % len(replies)]
            variant = reply.replace("Hi,", greetings[index % len(greetings)], 1)
            writer.writerow([index, customer, f"{variant}\n(ref {index})"])


def run_batch(path: Path, workers: int) -> tuple[float, float]:
    """Replies per second and the batch process's peak RSS in MB."""
    out = path.with_suffix(f".w{workers}.out.csv")
    out.unlink(missing_ok=True)
    code = ("import resource,sys,time\nfrom coach.cli import main\n"
            f"rc=main(['batch',{str(path)!r},'--text-column','reply','--customer-column','customer',"
            f"'--out',{str(out)!r},'--no-progress','--workers','{workers}'])\n"
            "s=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;c=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(max(s,c)/1024)\nsys.exit(rc)")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"batch failed: {result.stderr[-2000:]}")
    with open(path, encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    return rows / elapsed, float(result.stdout.strip().splitlines()[-1])


def cold_start() -> float:
    code = ("import time;t=time.perf_counter();from coach import analyze;"
            "analyze('Hi Sam, thanks for waiting. I have reset your router and it works now.');"
            "print(time.perf_counter()-t)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    colds = [cold_start() for _ in range(3)]
    nlp = load_nlp()
    texts = {name: text_of_length(words) for name, words in LENGTHS.items()}
    latency, latency_grammar_on, parse = {}, {}, {}
    without_grammar = [name for name in ("jargon", "readability", "tone", "empathy", "security")]
    for name, text in texts.items():
        parse[name] = percentiles(time_ms(lambda: nlp(text), args.runs))
        latency[name] = percentiles(time_ms(lambda: analyze(text, dimensions=without_grammar), args.runs))
        if languagetool_url():
            latency_grammar_on[name] = percentiles(time_ms(lambda: analyze(text), args.runs))
    spelling = {name: percentiles(time_ms(lambda: analyze(text), args.runs)) for name, text in texts.items()}
    overhead = {name: round(latency[name]["p50"] / parse[name]["p50"], 2) for name in texts}

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "replies.csv"
        bulk_csv(path, args.rows)
        one_rate, one_rss = run_batch(path, 1)
        cores = os.cpu_count() or 1
        all_rate, all_rss = run_batch(path, cores)

    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "spacy_model": nlp.meta.get("name"), "languagetool": bool(languagetool_url())},
        "latency_ms": latency,
        "latency_ms_with_spelling_check": spelling,
        "latency_ms_with_languagetool": latency_grammar_on or None,
        "parse_ms": parse,
        "overhead_ratio": overhead,
        "batch_rows": args.rows,
        "batch_replies_per_s": {"one_process": round(one_rate, 1), "all_cores": round(all_rate, 1)},
        "peak_rss_mb": {"one_process": round(one_rss, 1), "all_cores_per_process": round(all_rss, 1)},
        "cold_start_s": round(statistics.median(colds), 2),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")

    print(f"Support Coach benchmark ({results['machine']['cpus']} cores, {results['machine']['spacy_model']})")
    print(f"{'length':<9}{'words':>6}{'parse p50':>11}{'analyse p50':>13}{'p95':>9}{'overhead':>10}{'+spelling p50':>15}")
    for name, words in LENGTHS.items():
        print(f"{name:<9}{words:>6}{parse[name]['p50']:>9.1f}ms{latency[name]['p50']:>11.1f}ms"
              f"{latency[name]['p95']:>7.1f}ms{overhead[name]:>9.2f}x{spelling[name]['p50']:>13.1f}ms")
    if latency_grammar_on:
        for name in LENGTHS:
            print(f"  with LanguageTool {name}: p50 {latency_grammar_on[name]['p50']:.1f}ms")
    else:
        print("  (no LanguageTool server configured: set COACH_LANGUAGETOOL_URL to time grammar checking too)")
    print(f"batch {args.rows} replies: {one_rate:.1f}/s with 1 process, {all_rate:.1f}/s with {cores} processes")
    print(f"peak memory: {one_rss:.0f} MB (1 process), {all_rss:.0f} MB (largest of {cores} processes)")
    print(f"cold start to first report: {results['cold_start_s']:.2f}s")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
