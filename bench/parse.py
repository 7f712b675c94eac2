#!/usr/bin/env python
"""Benchmark of the plan parser on the fixture corpus and on a long DOCX.

Parses the seed plan, the text fixtures (tests/plans/fixtures/*.txt) and the corpus
(tests/plans/fixtures/corpus/*.txt and their DOCX twins) and prints, per document, the time and the fields found
(number, date, signer, targets, groups, tasks, tasks with a deadline, duties, events, unplaced lines, warnings).
Then it builds a 30-page DOCX (the corpus documents repeated, tables included) and prints its parse time after
start-up — the target is under 2 s — with its ratio to the seed's parse time in the same run.
Times are medians of --runs runs, after one warm-up run. No Django, no database.

Usage: .venv/bin/python bench/parse.py [--runs 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lantoa.plans.parser import parse_plan_file  # noqa: E402 — after the path is set

FIXTURES = ROOT / "tests/plans/fixtures"
CORPUS = FIXTURES / "corpus"
SHARED_SEED = ROOT.parent / "shared/seed/000_9798a5940c59c485.txt"
SEED = SHARED_SEED if SHARED_SEED.exists() else ROOT / "lantoa/plans/demo_data/ke-hoach-57-xa-nam-cuong-2026.txt"
TARGET_SECONDS = 2.0
PAGES = 30


def _make_docx():
    spec = importlib.util.spec_from_file_location("make_docx", CORPUS / "make_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(path: Path, runs: int) -> tuple[float, dict]:
    plan = parse_plan_file(path)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        plan = parse_plan_file(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), plan


def fields(plan: dict) -> str:
    tasks = [task for group in plan["groups"] for task in group["tasks"]]
    found = [
        "number" if plan["number"] else "-",
        "date" if plan["date"] else "-",
        "signer" if plan["signer"]["name"] else "-",
        f"targets={len(plan['targets'])}",
        f"groups={len(plan['groups'])}",
        f"tasks={len(tasks)}",
        f"deadlines={sum(1 for task in tasks if task['deadline'])}",
        f"duties={len(plan['duties'])}",
        f"events={len(plan['events'])}",
        f"unplaced={len(plan['unplaced'])}",
        f"warnings={len(plan['warnings'])}",
    ]
    return " ".join(found)


def text_pages(text: str) -> float:
    """Pages of a text fixture once built as a DOCX, by the measure of :func:`pages_of`."""
    lines = [line for line in text.splitlines() if line.strip()]
    return sum(2 if "\t" in line else 1 for line in lines) / 40


def pages_of(path: Path) -> int:
    """Pages of a DOCX as LibreOffice would lay it out, estimated at 40 lines (paragraphs, table rows) a page."""
    import docx  # noqa: PLC0415 — python-docx only here

    document = docx.Document(str(path))
    lines = len(document.paragraphs) + sum(len(table.rows) * 2 for table in document.tables)
    return lines // 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    make_docx = _make_docx()
    corpus = sorted(CORPUS.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        documents = [SEED, *sorted(FIXTURES.glob("*.txt")), *corpus]
        for source in corpus:
            documents.append(
                make_docx.build_docx(source.read_text(encoding="utf-8"), Path(tmp) / f"{source.stem}.docx")
            )
        seed_time = None
        print(f"{'document':<44} {'ms':>8}  fields")
        for path in documents:
            seconds, plan = timed(path, args.runs)
            seed_time = seconds if path == SEED else seed_time
            print(f"{path.name:<44} {seconds * 1000:8.1f}  {fields(plan)}")
        texts = [source.read_text(encoding="utf-8") for source in corpus]
        chosen: list[str] = []
        while text_pages("\n".join(chosen)) < PAGES:  # the corpus documents one after another, as one long file
            chosen.append(texts[len(chosen) % len(texts)])
        long = make_docx.build_docx("\n".join(chosen), Path(tmp) / "long.docx")
        seconds, plan = timed(long, args.runs)
        print(
            f"\n{PAGES}-page DOCX (~{pages_of(long)} pages, {long.stat().st_size // 1024} KiB): {seconds:.3f} s "
            f"({fields(plan)})"
        )
        print(
            f"target {TARGET_SECONDS:.1f} s: {'met' if seconds < TARGET_SECONDS else 'NOT met'} "
            f"({seconds / TARGET_SECONDS:.2f} of it); {seconds / seed_time:.1f}× the seed's {seed_time * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
