"""The budget lines now live in the budget app (estimate lines, adjustments, dated spending): see
budget/migrations/0002_move_budget_lines.py, which moved the rows before this removes the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_versions"),
        ("budget", "0002_move_budget_lines"),
    ]

    operations = [migrations.DeleteModel(name="BudgetLine")]
