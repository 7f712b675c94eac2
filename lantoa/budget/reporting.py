"""Section IV of the report (Kinh phí thực hiện) from the budget's records, at the report's cut-off.

The lines are the year's approved estimate lines, each at the estimate in force on the cut-off day (the last
adjustment approved by then, else the original); "spent" is the sum of a line's spending entries dated in
the year up to the cut-off — so "đã thực hiện đến ngày 30/06" is a sum of dated entries, and an entry recorded
later with a later date does not change it. The shape is the one reports/drafting.py and document.py read.
"""

from __future__ import annotations

import datetime as dt

from lantoa.tenancy.models import Commune

from . import selectors


def block(commune: Commune, year: int, as_of: dt.date) -> dict:
    rows = selectors.figures(commune, year, as_of)
    return {
        "year": year,
        "lines": [
            {
                "task": row.line.task.code if row.line.task else "",
                "title": row.line.title,
                "unit": row.line.unit.name if row.line.unit else "",
                "estimate": row.current,
                "original": row.original,
                "adjustment": row.adjustment,
                "spent": row.spent,
                "source": row.line.source,
                "note": row.line.note,
            }
            for row in rows
        ],
        "estimate": sum((row.current for row in rows), 0),
        "spent": sum((row.spent for row in rows if row.spent is not None), 0),
        "spent_lines": sum(1 for row in rows if row.spent is not None),
    }
