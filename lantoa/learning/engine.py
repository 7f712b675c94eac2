"""The one question engine of the course quiz and the contest: draw, show, score.

* ``draw`` picks the questions of one attempt or entry and shuffles them and their answers; the result (the
  *layout*) is a list of ``{"q": question id, "c": [answer ids in the order shown]}`` kept on the server (an
  attempt) or signed into the form (a public contest entry) — it holds no answer key.
* ``shown`` turns a layout into what a page may render: texts and answer ids only.
* ``score`` counts the questions answered exactly right (every correct answer chosen, no wrong one).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ShownQuestion:
    id: int
    number: int
    text: str
    multiple: bool
    choices: list[tuple[int, str]]
    source_page_id: int | None = None


def draw(questions: Iterable, count: int = 0, rng: random.Random | None = None) -> list[dict]:
    """``count`` questions (0 or more than there are: all) in a random order, each with its answers shuffled."""
    rng = rng or random.SystemRandom()
    pool = list(questions)
    picked = rng.sample(pool, count) if 0 < count < len(pool) else rng.sample(pool, len(pool))
    layout = []
    for q in picked:
        ids = [c["id"] for c in q.choices]
        rng.shuffle(ids)
        layout.append({"q": q.pk, "c": ids})
    return layout


def in_order(questions: Iterable) -> list[dict]:
    """Every question in the bank's order, answers as written: the printed paper sheet of a contest."""
    return [{"q": q.pk, "c": [c["id"] for c in q.choices]} for q in questions]


def shown(layout: list[dict], by_id: Mapping[int, object]) -> list[ShownQuestion]:
    """What a page renders for a layout: question and answer texts and ids, never which answer is right."""
    out = []
    for number, row in enumerate(layout, start=1):
        q = by_id.get(row["q"])
        if q is None:
            continue
        texts = {c["id"]: c["text"] for c in q.choices}
        out.append(
            ShownQuestion(
                id=q.pk,
                number=number,
                text=q.text,
                multiple=q.kind == "multiple",
                choices=[(cid, texts[cid]) for cid in row["c"] if cid in texts],
                source_page_id=q.source_page_id,
            )
        )
    return out


def answers_from(data, layout: list[dict]) -> dict[str, list[int]]:
    """The answers a form sent (fields ``q<question id>``), keeping only ids the layout offered."""
    out: dict[str, list[int]] = {}
    for row in layout:
        values = data.getlist(f"q{row['q']}") if hasattr(data, "getlist") else data.get(f"q{row['q']}", [])
        chosen = sorted({int(v) for v in values if str(v).isdigit() and int(v) in row["c"]})
        if chosen:
            out[str(row["q"])] = chosen
    return out


def score(layout: list[dict], answers: Mapping[str, list[int]], by_id: Mapping[int, object]) -> tuple[int, int]:
    """(questions answered exactly right, questions asked)."""
    right = 0
    for row in layout:
        q = by_id.get(row["q"])
        if q is None:
            continue
        key = {c["id"] for c in q.choices if c["correct"]}
        if set(answers.get(str(row["q"]), [])) == key:
            right += 1
    return right, len(layout)


def percent(right: int, total: int) -> int:
    return (100 * right) // total if total else 0
