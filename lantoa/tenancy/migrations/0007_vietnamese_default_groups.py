"""Wagtail's default groups and workflow carry English names ("Editors", "Moderators", "Moderators approval").

Lan Tỏa gives roles through its own groups per commune (tenancy.roles); Wagtail's two groups stay (its default
workflow on the root page uses them) under Vietnamese names that say they belong to no commune.
"""

from django.db import migrations

GROUPS = {
    "Editors": "Biên tập (nhóm mặc định của Wagtail, không thuộc xã nào)",
    "Moderators": "Kiểm duyệt (nhóm mặc định của Wagtail, không thuộc xã nào)",
}
WORKFLOWS = {"Moderators approval": "Kiểm duyệt (quy trình mặc định của Wagtail)"}


def _rename(apps, groups, workflows):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for old, new in groups.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)
    for old, new in workflows.items():
        Workflow.objects.filter(name=old).update(name=new)
        Task.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    _rename(apps, GROUPS, WORKFLOWS)


def backwards(apps, schema_editor):
    _rename(apps, {v: k for k, v in GROUPS.items()}, {v: k for k, v in WORKFLOWS.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0006_jobs_and_worker_heartbeat"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
