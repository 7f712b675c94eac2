"""Two people edit the same record: the second save is refused, says who changed what, and the first stands."""

from __future__ import annotations

import re

import pytest
from auditlog.context import set_actor
from django.test import Client

from lantoa.radio.models import Bulletin
from lantoa.radio.services import save_bulletin
from lantoa.tenancy import roles, services
from lantoa.tenancy.models import Hamlet, Unit
from lantoa.tenancy.versions import ConcurrentChange

from .conftest import make_user

pytestmark = pytest.mark.django_db


def loaded_version(page: str) -> str:
    """The version an edit form carries, as the browser would post it back."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert match, "the edit form carries the version it was loaded with"
    return match.group(1)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(username, role, commune, full_name):
    user = make_user(username, role, commune=commune)
    first, _, last = full_name.partition(" ")
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_second_back_office_save_is_refused_and_names_who_changed_what(commune_a, data_a):
    lan = person("lan", roles.PVHCC, commune_a, "Lan Nguyễn")
    minh = person("minh", roles.PVHCC, commune_a, "Minh Trần")
    hamlet = data_a["hamlet"]
    url = f"/admin/snippets/tenancy/hamlet/edit/{hamlet.pk}/"
    first, second = client_for(lan), client_for(minh)
    version_first = loaded_version(first.get(url).content.decode())
    version_second = loaded_version(second.get(url).content.decode())
    form = {"kind": "thon", "households_baseline": 2, "residents_baseline": 7}
    response = first.post(url, {**form, "name": "Thôn Đông", "version": version_first})
    assert response.status_code == 302
    response = second.post(url, {**form, "name": "Thôn Tây", "residents_baseline": 9, "version": version_second})
    # The second is shown the form again: what they typed is kept, and the message says who changed what.
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Lan đã lưu bản ghi này và thay đổi: Tên." in page and "chưa được lưu" in page
    assert 'value="Thôn Tây"' in page and 'value="9"' in page
    hamlet.refresh_from_db()
    assert (hamlet.name, hamlet.residents_baseline) == ("Thôn Đông", 7)
    # The form now carries the current version: saving it again is a deliberate overwrite and goes through.
    assert loaded_version(page) == str(hamlet.version)
    response = second.post(url, {**form, "name": "Thôn Tây", "residents_baseline": 9, "version": loaded_version(page)})
    assert response.status_code == 302 and response["Location"] != url
    hamlet.refresh_from_db()
    assert (hamlet.name, hamlet.residents_baseline) == ("Thôn Tây", 9)


def test_unit_rename_is_not_lost_to_a_stale_form(commune_a, data_a):
    lan = person("lan", roles.PVHCC, commune_a, "Lan Nguyễn")
    minh = person("minh", roles.PVHCC, commune_a, "Minh Trần")
    unit = data_a["unit"]
    url = f"/admin/snippets/tenancy/unit/edit/{unit.pk}/"
    first, second = client_for(lan), client_for(minh)
    v1, v2 = (loaded_version(c.get(url).content.decode()) for c in (first, second))
    form = {"kind": unit.kind, "active": "on", "short_name": "", "email": "", "head": ""}
    assert first.post(url, {**form, "name": "Phòng Văn hóa - Xã hội", "version": v1}).status_code == 302
    response = second.post(url, {**form, "name": "Phòng Kinh tế", "email": "kt@xa.vn", "version": v2}, follow=True)
    text = response.content.decode()
    assert "Nguyễn Lan" in text and "chưa được lưu" in text
    unit.refresh_from_db()
    assert (unit.name, unit.email) == ("Phòng Văn hóa - Xã hội", "")
    assert Unit.objects.filter(name="Phòng Kinh tế").count() == 0


def test_service_refuses_a_stale_edit_and_keeps_the_first(commune_a, data_a):
    lan = person("lan", roles.PVHCC, commune_a, "Lan Nguyễn")
    minh = person("minh", roles.PVHCC, commune_a, "Minh Trần")
    copy_lan = Hamlet.objects.get(pk=data_a["hamlet"].pk)
    copy_minh = Hamlet.objects.get(pk=data_a["hamlet"].pk)
    for copy in (copy_lan, copy_minh):
        copy.loaded_version = copy.version
    copy_lan.residents_baseline = 11
    with set_actor(lan):
        services.save_record(lan, copy_lan)
    copy_minh.name = "Thôn Khác"
    with set_actor(minh), pytest.raises(ConcurrentChange) as excinfo:
        services.save_record(minh, copy_minh)
    message = " ".join(excinfo.value.messages)
    assert "Nguyễn Lan" in message and "thay đổi: Số nhân khẩu (gốc)." in message
    stored = Hamlet.objects.get(pk=copy_lan.pk)
    assert (stored.name, stored.residents_baseline, stored.version) == ("Thôn AAA", 11, 1)


def test_stale_bulletin_edit_is_refused(commune_a):
    editor = person("bt", roles.EDITOR, commune_a, "Hoa Lê")
    other = person("bt2", roles.EDITOR, commune_a, "Nam Phạm")
    with set_actor(editor):
        bulletin = save_bulletin(editor, Bulletin(title="Bản tin sáng", text="Nội dung một."), commune=commune_a)
    first = Bulletin.objects.get(pk=bulletin.pk)
    second = Bulletin.objects.get(pk=bulletin.pk)
    first.loaded_version = second.loaded_version = bulletin.version
    first.text = "Nội dung đã sửa."
    save_bulletin(editor, first)
    second.title = "Bản tin chiều"
    with pytest.raises(ConcurrentChange) as excinfo:
        save_bulletin(other, second)
    assert "Lê Hoa" in " ".join(excinfo.value.messages)
    stored = Bulletin.objects.get(pk=bulletin.pk)
    assert (stored.title, stored.text) == ("Bản tin sáng", "Nội dung đã sửa.")
