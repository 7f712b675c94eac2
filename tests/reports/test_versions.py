"""Two people edit the same report's text: the second save is refused, says who changed what, the first stands."""

from __future__ import annotations

import re

import pytest
from auditlog.context import set_actor
from django.test import Client

from lantoa.reports import periods, services
from lantoa.reports.models import Report
from lantoa.tenancy import roles
from lantoa.tenancy.versions import ConcurrentChange

from ..conftest import make_user
from .conftest import YEAR

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_form(page: str, report: Report) -> dict:
    version = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert version, "the edit form carries the version it was loaded with"
    form = {
        "action": "save",
        "version": version.group(1),
        "place": report.place,
        "symbol": report.symbol,
        "summary": report.summary,
        "addressees": "\n".join(report.addressees),
        "recipients": "\n".join(report.recipients),
        "archive": report.archive,
        "signer_on_behalf": report.signer_on_behalf,
        "signer_title": report.signer_title,
        "signer_name": report.signer_name,
    }
    form.update({f"section_{k}": v for k, v in report.sections.items()})
    return form


def named(username, commune, first, last):
    user = make_user(username, roles.PVHCC, commune=commune)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_second_save_of_a_report_is_refused_with_who_and_what(world):
    commune = world["commune"]
    lan, minh = named("lan", commune, "Lan", "Nguyễn"), named("minh", commune, "Minh", "Trần")
    report = services.create_draft(lan, commune, periods.for_kind("h1", YEAR))
    url = f"/admin/baocao/{report.pk}/"
    first, second = client_for(lan), client_for(minh)
    form_first = edit_form(first.get(url).content.decode(), report)
    form_second = edit_form(second.get(url).content.decode(), report)
    assert first.post(url, {**form_first, "place": "Xã Nam Cường"}).status_code == 302
    response = second.post(url, {**form_second, "section_proposals": "Đề nghị khác."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Lan đã lưu bản ghi này và thay đổi: Địa danh." in page and "chưa được lưu" in page
    assert "Đề nghị khác." in page, "the section Minh typed is still in the form"
    report.refresh_from_db()
    assert report.place == "Xã Nam Cường" and report.sections["proposals"] != "Đề nghị khác."
    # The form now carries the current version: Minh takes Lan's place and saves again, and it goes through.
    form_again = edit_form(page, report)
    assert second.post(url, {**form_again, "section_proposals": "Đề nghị khác."}).status_code == 302
    report.refresh_from_db()
    assert report.place == "Xã Nam Cường" and report.sections["proposals"] == "Đề nghị khác."


def test_save_sections_refuses_a_stale_version(world):
    commune = world["commune"]
    lan, minh = named("lan", commune, "Lan", "Nguyễn"), named("minh", commune, "Minh", "Trần")
    report = services.create_draft(lan, commune, periods.for_kind("h1", YEAR))
    loaded = report.version
    with set_actor(lan):
        services.save_sections(lan, report, header={"symbol": "BC-01"}, loaded_version=loaded)
    with pytest.raises(ConcurrentChange) as excinfo:
        services.save_sections(minh, report, header={"symbol": "BC-02"}, loaded_version=loaded)
    assert "Nguyễn Lan" in " ".join(excinfo.value.messages)
    report.refresh_from_db()
    assert report.symbol == "BC-01"
