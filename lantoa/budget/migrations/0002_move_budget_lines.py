"""Moves the former single-figure budget lines (reports.BudgetLine) into estimate lines and spending entries.

Each old line becomes an approved estimate line (its estimate is the frozen original; ``approved_at`` empty:
approved before records began). Its "spent" figure, which had no date, becomes one spending entry dated the day
the figure was last saved — the only date the record holds.
"""

import zoneinfo

from django.conf import settings
from django.db import migrations

MOVED = "Chuyển từ dòng kinh phí cũ (một số dự toán, một số đã chi không ghi ngày)."
SPENT = "Số đã chi ghi nhận trước khi có sổ chi theo ngày"


def move_budget_lines(apps, schema_editor):
    BudgetLine = apps.get_model("reports", "BudgetLine")
    EstimateLine = apps.get_model("budget", "EstimateLine")
    Spending = apps.get_model("budget", "Spending")
    BudgetEvent = apps.get_model("budget", "BudgetEvent")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for old in BudgetLine.objects.order_by("pk"):
        line = EstimateLine.objects.create(
            commune_id=old.commune_id,
            year=old.year,
            unit_id=old.unit_id,
            task_id=old.task_id,
            title=old.title,
            source=old.source,
            amount=old.estimate,
            note=old.note,
            status="approved",
        )
        if old.spent:
            Spending.objects.create(
                commune_id=old.commune_id,
                line=line,
                date=old.updated_at.astimezone(zone).date(),
                amount=old.spent,
                what=SPENT,
            )
        BudgetEvent.objects.create(commune_id=old.commune_id, line=line, action="create", text=MOVED)


def move_back(apps, schema_editor):
    BudgetLine = apps.get_model("reports", "BudgetLine")
    EstimateLine = apps.get_model("budget", "EstimateLine")
    for line in EstimateLine.objects.order_by("pk"):
        adjusted = line.adjustments.filter(status="approved").order_by("-number").first()
        spent = sum(s.amount for s in line.spendings.all())
        BudgetLine.objects.create(
            commune_id=line.commune_id,
            year=line.year,
            unit_id=line.unit_id,
            task_id=line.task_id,
            title=line.title,
            source=line.source,
            estimate=adjusted.amount if adjusted else line.amount,
            spent=spent or None,
            note=line.note,
        )
    apps.get_model("budget", "Spending").objects.all().delete()
    EstimateLine.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0001_initial"),
        ("reports", "0003_versions"),
    ]

    operations = [migrations.RunPython(move_budget_lines, move_back)]
