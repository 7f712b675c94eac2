"""The tree roots Wagtail creates are titled "Root" in English, and the page and collection choosers show it: "Gốc"."""

from django.db import migrations

ROOT = "Gốc"


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT, draft_title=ROOT)
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT)


def backwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=ROOT).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1, name=ROOT).update(name="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0012_inbox_digest"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
