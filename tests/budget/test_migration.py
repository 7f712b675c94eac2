"""The data migration moves the former single-figure budget lines (reports.BudgetLine) into estimate lines and
dated spending: run on real rows, by migrating back to before it, writing old rows, and migrating forward."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lantoa.budget.models import EstimateLine, Spending, Status

BEFORE = [("reports", "0003_versions"), ("budget", "0001_initial")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_data_migration_moves_existing_budget_lines(commune_a, data_a):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    BudgetLine = old.get_model("reports", "BudgetLine")
    spent = BudgetLine.objects.create(
        commune_id=commune_a.pk,
        year=2026,
        unit_id=data_a["unit"].pk,
        title="Nhuận bút chuyên mục",
        estimate=Decimal(24_000_000),
        spent=Decimal(12_500_000),
        source="programme",
        note="Quý I-II",
    )
    BudgetLine.objects.create(commune_id=commune_a.pk, year=2026, title="Hội nghị", estimate=Decimal(30_000_000))
    # Saved at 23:30 UTC on 14 June: 15 June in Vietnam, the only date the old figure has.
    BudgetLine.objects.filter(pk=spent.pk).update(updated_at=dt.datetime(2026, 6, 14, 23, 30, tzinfo=dt.UTC))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    lines = {line.title: line for line in EstimateLine.objects.filter(commune=commune_a)}
    assert set(lines) == {"Nhuận bút chuyên mục", "Hội nghị"}
    fees = lines["Nhuận bút chuyên mục"]
    assert (fees.amount, fees.source, fees.note, fees.unit_id) == (
        24_000_000,
        "programme",
        "Quý I-II",
        data_a["unit"].pk,
    )
    assert fees.status == Status.APPROVED and fees.approved_at is None and fees.events.count() == 1
    entry = Spending.objects.get(line=fees)
    assert (entry.amount, entry.date) == (12_500_000, dt.date(2026, 6, 15))
    assert not Spending.objects.filter(line=lines["Hội nghị"]).exists()
    assert timezone.localdate(fees.created_at).year >= 2026
