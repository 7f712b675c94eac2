"""Private files stay private; public media stays public (docs/security.md, "Files").

Every kind of private file — an activity's evidence, the uploaded source of a plan, the three files of an issued
report, an uploaded radio recording, a Wagtail document of a commune's restricted collection — is stored outside
MEDIA_ROOT under a random folder, is never answered under /media/, and is answered by its own view only to a
user of its commune holding the role that reads it. A published column page's image is still served, cacheable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from lantoa.plans import models as plans
from lantoa.radio.models import AudioJob, Bulletin
from lantoa.reports.models import Report
from lantoa.tenancy import files, roles

from .conftest import client_as, make_user, response_body

pytestmark = pytest.mark.django_db

EVIDENCE = b"%PDF-1.4 bien ban hop thon"
SOURCE = "KẾ HOẠCH truyền thông Nghị quyết 57".encode()
REPORT = {fmt: f"noi dung {fmt}".encode() for fmt in ("docx", "pdf", "xlsx")}


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings


@pytest.fixture
def world(roots, commune_a, data_a):
    unit = data_a["unit"]
    plan = plans.Plan(
        commune=commune_a, title="Kế hoạch", year=2026, source_name="ke-hoach.docx", status=plans.Plan.Status.ACTIVE
    )
    plan.source_file.save("ke-hoach.docx", ContentFile(SOURCE), save=False)
    plan.save()
    task = plans.Task.objects.create(
        commune=commune_a,
        plan=plan,
        group=plans.SolutionGroup.objects.create(commune=commune_a, plan=plan, code="1", title="Nhóm"),
        code="1.1",
        title="Nhiệm vụ",
    )
    activity = plans.Activity.objects.create(
        commune=commune_a, task=task, unit=unit, title="Hội nghị", date=dt.date(2026, 3, 1), channel="other"
    )
    evidence = plans.Evidence.objects.create(
        commune=commune_a,
        activity=activity,
        file=ContentFile(EVIDENCE, name="bien-ban.pdf"),
        name="biên bản.pdf",
        content_type="application/pdf",
        size=len(EVIDENCE),
    )
    report = Report(
        commune=commune_a,
        kind=Report.Kind.FIRST_HALF,
        year=2026,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        as_of=dt.date(2026, 6, 15),
        reach_period="2026S1",
        status=Report.Status.ISSUED,
        number="12",
    )
    for fmt, content in REPORT.items():
        getattr(report, f"{fmt}_file").save(
            f"bao-cao-12-h1-2026-{commune_a.code}.{fmt}", ContentFile(content), save=False
        )
        setattr(report, f"{fmt}_sha256", hashlib.sha256(content).hexdigest())
    report.save()
    bulletin = Bulletin.objects.create(commune=commune_a, title="Bản tin", text="Nội dung")
    job = AudioJob(commune=commune_a, bulletin=bulletin, kind=AudioJob.Kind.RECORDING, source_name="ghi-am.mp3")
    job.source.save("ghi-am.mp3", ContentFile(b"ID3 giong doc"), save=False)
    job.save()
    document = get_document_model().objects.create(
        title="Tài liệu nội bộ",
        file=ContentFile(b"tai lieu noi bo", name="noi-bo.txt"),
        collection=commune_a.collection,
    )
    return {
        "evidence": evidence,
        "plan": plan,
        "report": report,
        "job": job,
        "document": document,
        # Each private file: its stored field, its view (None: never served) and the bytes the owner must get.
        "kinds": {
            "evidence": (evidence.file, reverse("plans_admin:evidence", args=[evidence.pk]), EVIDENCE),
            "plan source": (plan.source_file, reverse("plans_admin:plan_source", args=[plan.pk]), SOURCE),
            **{
                f"report {fmt}": (getattr(report, f"{fmt}_file"), reverse(f"reports_admin:{fmt}", args=[report.pk]), c)
                for fmt, c in REPORT.items()
            },
            "radio recording": (job.source, None, None),
            "document": (document.file, document.url, b"tai lieu noi bo"),
        },
    }


def test_private_files_are_stored_outside_media_under_a_random_folder(world):
    media = Path(settings.MEDIA_ROOT).resolve()
    for kind, (field, _url, _content) in world["kinds"].items():
        if kind == "document":
            continue  # Wagtail's own storage (MEDIA_ROOT/documents/), which /media/ does not serve
        path = Path(field.path).resolve()
        assert not path.is_relative_to(media), kind
        assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve()), kind
        assert any(len(part) >= 20 for part in Path(field.name).parts), f"{kind}: {field.name} has no random part"
    report = world["report"]
    assert "bao-cao-12-h1-2026" in report.pdf_file.name and report.pdf_file.name != f"reports/{report.commune_id}/2026/"


def test_no_private_file_is_answered_under_media(world, all_roles_a):
    for client in (client_as(), client_as(all_roles_a)):
        for kind, (field, _url, _content) in world["kinds"].items():
            for url in (f"/media/{field.name}", f"/media/private-not-served/{field.name}", field.url):
                if url == world["document"].url and kind == "document":
                    continue
                response = client.get(url)
                assert response.status_code == 404, (kind, url, response.status_code)
    # Nor by walking up out of a public folder.
    assert client_as().get("/media/images/../documents/" + world["document"].file.name).status_code == 404


def test_anonymous_and_other_commune_users_get_no_private_file(world, commune_b):
    outsider = make_user("pvhcc_b", *roles.COMMUNE_ROLES, commune=commune_b)
    for client, who in ((client_as(), "anonymous"), (client_as(outsider), "other commune")):
        for kind, (_field, url, content) in world["kinds"].items():
            if url is None:
                continue
            response = client.get(url)
            assert response.status_code in {302, 403, 404}, (who, kind, response.status_code)
            if response.status_code == 302:
                assert "login" in response["Location"], (who, kind)
            assert content not in response_body(response), (who, kind)


def test_a_role_without_the_permission_is_refused(world, commune_a):
    team = make_user("team_a", roles.DIGITAL_TEAM, commune=commune_a)
    for fmt, content in REPORT.items():
        response = client_as(team).get(reverse(f"reports_admin:{fmt}", args=[world["report"].pk]))
        # Wagtail sends a user without the admin screen's permission back to the dashboard with a message.
        assert response.status_code in {302, 403} and content not in response_body(response)


def test_the_owner_role_gets_the_bytes(world, pvhcc_a):
    client = client_as(pvhcc_a)
    for kind, (_field, url, content) in world["kinds"].items():
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == 200, (kind, response.status_code)
        assert response_body(response) == content, kind
    evidence = client.get(world["kinds"]["evidence"][1])
    assert {"private", "no-store"} <= {v.strip() for v in evidence["Cache-Control"].split(",")}
    assert "filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n.pdf" in evidence["Content-Disposition"]


def test_the_plan_page_links_the_plan_source_through_its_view(world, pvhcc_a):
    plan = world["plan"]
    plans.Plan.objects.create(
        commune=plan.commune, title="Kế hoạch", year=2026, version=2, status=plans.Plan.Status.SUPERSEDED
    )
    html = client_as(pvhcc_a).get(reverse("plans_admin:overview")).content.decode()
    assert reverse("plans_admin:plan_source", args=[plan.pk]) in html
    assert plan.source_file.name not in html


def test_with_x_accel_nginx_sends_the_bytes_after_the_check(world, pvhcc_a, settings):
    settings.LANTOA_X_ACCEL = True
    client = client_as(pvhcc_a)
    evidence = world["evidence"]
    response = client.get(reverse("plans_admin:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/private/{evidence.file.name}"
    assert EVIDENCE not in response.content
    document = client.get(world["document"].url)
    assert document["X-Accel-Redirect"] == f"/_protected/media/{world['document'].file.name}"
    # Refused requests never carry the header.
    assert "X-Accel-Redirect" not in client_as().get(reverse("plans_admin:evidence", args=[evidence.pk]))


def test_a_published_pages_image_is_still_served_and_cacheable(roots, commune_a):
    buf = io.BytesIO()
    PILImage.new("RGB", (40, 30), "green").save(buf, "PNG")
    image = get_image_model().objects.create(
        title="Ảnh bài viết", file=ContentFile(buf.getvalue(), name="anh.png"), collection=commune_a.collection
    )
    rendition = image.get_rendition("width-20")
    for url, content in ((image.file.url, buf.getvalue()), (rendition.url, None)):
        response = client_as().get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"].startswith("public")
        body = response_body(response)
        assert body == content if content else body[:4] in {b"\x89PNG", b"RIFF"}
    assert files.is_public_media("column/audio/x.mp3") and not files.is_public_media("documents/x.txt")
