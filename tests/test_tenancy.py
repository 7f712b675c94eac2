"""Communes from the 2025 list, roles and scoping, services that refuse bad writes, personal data, audit."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from wagtail.models import Site

from lantoa.tenancy import roles, selectors, services
from lantoa.tenancy.models import Commune, Hamlet, Household, PersonalDataAccess, Unit
from lantoa.tenancy.text import fold, match_key, normalize_name, roman_to_int

from .conftest import CODE_A, make_user


@pytest.mark.django_db
def test_onboarding_takes_names_from_the_2025_list_and_is_idempotent():
    commune = services.onboard_commune(CODE_A)
    assert commune.name == "Xã Nam Cường"
    assert commune.province.name == "Thái Nguyên" and commune.province.code == 19
    assert commune.site.root_page_id == commune.root_page_id
    assert commune.root_page.title == "Xã Nam Cường"
    again = services.onboard_commune(CODE_A)
    assert (
        again.pk == commune.pk
        and Commune.objects.count() == 1
        and Site.objects.filter(hostname=commune.site.hostname).count() == 1
    )
    assert set(commune.role_groups.values_list("role", flat=True)) == set(roles.COMMUNE_ROLES)


@pytest.mark.django_db
def test_unknown_commune_code_is_refused_in_vietnamese():
    with pytest.raises(ValidationError) as excinfo:
        services.onboard_commune(999999)
    assert "Không có xã nào mang mã 999999" in str(excinfo.value)
    assert Commune.objects.count() == 0


def test_unit_names_written_three_ways_are_one_unit():
    spellings = ["Phòng Văn hoá- Xã hội", "Phòng Văn hoá - Xã hội", "Phòng Văn hóa - Xã hội", "Phòng Văn hóa – Xã hội."]
    assert {normalize_name(s) for s in spellings} == {"Phòng Văn hóa - Xã hội"}
    assert len({match_key(s) for s in spellings + ["PHÒNG VĂN HÓA - XÃ HỘI"]}) == 1


def test_one_accent_folding_and_one_roman_numeral_reader():
    # One character out per character in, so positions found in the folded text hold in the original.
    assert fold("Đổi mới SÁNG TẠO, Nghị quyết 57") == "doi moi sang tao, nghi quyet 57"
    assert fold("Ủy ban\tnhân dân") == "uy ban\tnhan dan"
    assert [roman_to_int(n) for n in ("I", "IV", "XIII", "XXXIX", "MMXXVI")] == [1, 4, 13, 39, 2026]
    assert [roman_to_int(n) for n in ("", "iv", "IIII", "VX", "IV\n")] == [None] * 5
    # The plan parser reads section numbers up to XXXIX only.
    assert roman_to_int("XXXIX", largest=39) == 39 and roman_to_int("XL", largest=39) is None


@pytest.mark.django_db
def test_scoping_by_role(commune_a, commune_b, data_a, data_b):
    other_tn = services.onboard_commune(5443)  # another commune of Thái Nguyên
    assert other_tn.province_id == commune_a.province_id != commune_b.province_id
    editor = make_user("ed", roles.EDITOR, commune=commune_a)
    province = make_user("tinh", roles.PROVINCE, province=commune_a.province)
    assert list(selectors.communes_for(editor)) == [commune_a]
    assert set(selectors.communes_for(province)) == {commune_a, other_tn}
    assert set(selectors.hamlets(editor)) == {data_a["hamlet"]}
    assert data_b["hamlet"] not in selectors.hamlets(province)
    assert not selectors.can_access(editor, data_b["households"][0])


@pytest.mark.django_db
def test_the_scope_that_checks_one_commune_agrees_with_the_list_of_communes(commune_a, commune_b, client):
    """``commune_scope`` (what ``current.commune_of`` checks a commune against) and ``communes_for`` (the list,
    a subquery) state one rule twice: for every kind of user and every commune they give the same answer, and the
    API answers 404 exactly where the scope excludes."""
    other_tn = services.onboard_commune(5443)
    communes = [commune_a, commune_b, other_tn]
    both = make_user("ca-hai", roles.EDITOR, commune=commune_a)
    services.grant_role(both, roles.DIGITAL_TEAM, commune=commune_b)
    gone = make_user("nghi-viec", roles.EDITOR, commune=commune_a)
    gone.is_active = False
    gone.save()
    admin = make_user("quan-tri")
    admin.is_superuser = True
    admin.save()
    users = {
        "editor": make_user("bien-tap", roles.EDITOR, commune=commune_a),
        "province": make_user("so-tinh", roles.PROVINCE, province=commune_a.province),
        "two communes": both,
        "no role": make_user("chua-co-vai-tro"),
        "deactivated": gone,
        "superuser": admin,
    }
    expected = {
        "editor": {commune_a},
        "province": {commune_a, other_tn},
        "two communes": {commune_a, commune_b},
        "no role": set(),
        "deactivated": set(),
        "superuser": set(communes),
    }
    for name, user in users.items():
        listed = set(selectors.communes_for(user))
        scope = selectors.commune_scope(user)
        assert {c for c in communes if scope.includes(c)} == listed == expected[name], name
        assert {c for c in communes if selectors.can_access(user, c)} == expected[name], name
    client.force_login(users["province"])
    for commune in communes:
        answer = client.get(f"/api/v1/field/progress?commune={commune.pk}")
        assert answer.status_code == (404 if commune == commune_b else 403), commune  # no team role: 403
    assert client.get("/api/v1/field/progress?commune=abc").status_code == 422


@pytest.mark.django_db
def test_save_record_checks_the_role_in_that_commune(commune_a, commune_b, data_a, data_b):
    editor = make_user("ed", roles.EDITOR, commune=commune_a)
    pvhcc = make_user("pv", roles.PVHCC, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.save_record(editor, Hamlet(name="Thôn Mới"), commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.save_record(pvhcc, Hamlet(name="Thôn Lạ"), commune=commune_b)
    hamlet = services.save_record(pvhcc, Hamlet(name="Thôn Mới"), commune=commune_a)
    assert hamlet.commune == commune_a
    # A household of commune A may not point at a hamlet of commune B; nothing is written.
    count = Household.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.save_record(pvhcc, Household(code="X-1", hamlet=data_b["hamlet"], members=2), commune=commune_a)
    assert "cùng một xã" in str(excinfo.value)
    assert Household.objects.count() == count
    # Bad values are refused whole with a Vietnamese message.
    with pytest.raises(ValidationError) as excinfo:
        services.save_record(pvhcc, Household(code="mã có dấu", hamlet=hamlet, members=0), commune=commune_a)
    assert "Mã hộ gồm" in str(excinfo.value)
    assert Household.objects.count() == count
    # A record cannot be moved to another commune.
    data_a["hamlet"].commune = commune_b
    with pytest.raises(PermissionDenied):
        services.save_record(pvhcc, data_a["hamlet"])


@pytest.mark.django_db
def test_personal_data_is_read_only_through_a_logged_service(commune_a, data_a):
    household = data_a["households"][0]
    editor = make_user("ed", roles.EDITOR, commune=commune_a)
    pvhcc = make_user("pv", roles.PVHCC, commune=commune_a)
    with pytest.raises(PermissionDenied):
        services.read_personal_data(editor, household, purpose="xem thử")
    assert PersonalDataAccess.objects.count() == 0
    data = services.read_personal_data(pvhcc, household, purpose="gọi điện hẹn thăm hộ")
    assert data == {"head_name": "Nguyễn Văn A", "phone": "0912345678"}
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.household, log.purpose) == (pvhcc, household, "gọi điện hẹn thăm hộ")
    # The household listing in the back office never shows names or phones.
    client = Client()
    client.force_login(pvhcc)
    page = client.get("/admin/snippets/tenancy/household/").content.decode()
    assert household.code in page and "0912345678" not in page and "Nguyễn Văn A" not in page


@pytest.mark.django_db
def test_back_office_edit_is_audited_with_old_and_new_values(commune_a, data_a):
    pvhcc = make_user("pv", roles.PVHCC, commune=commune_a)
    hamlet = data_a["hamlet"]
    client = Client()
    client.force_login(pvhcc)
    response = client.post(
        f"/admin/snippets/tenancy/hamlet/edit/{hamlet.pk}/",
        {"name": "Thôn AAA Mới", "kind": "thon", "households_baseline": 2, "residents_baseline": 9},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hamlet.refresh_from_db()
    assert hamlet.name == "Thôn AAA Mới" and hamlet.residents_baseline == 9
    entry = LogEntry.objects.get_for_object(hamlet).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == pvhcc
    assert entry.changes_dict["name"] == ["Thôn AAA", "Thôn AAA Mới"]
    assert entry.changes_dict["residents_baseline"] == ["7", "9"]
    history = client.get(f"/admin/snippets/tenancy/hamlet/history/{hamlet.pk}/").content.decode()
    assert "Nhật ký thay đổi" in history and "Thôn AAA Mới" in history
    # The field by its label, not its name; who did it by their name.
    assert "Số nhân khẩu (gốc)" in history and "residents_baseline" not in history


@pytest.mark.django_db
def test_back_office_create_assigns_the_users_commune_and_refuses_other_roles(commune_a):
    client = Client()
    client.force_login(make_user("pv", roles.PVHCC, commune=commune_a))
    response = client.post(
        "/admin/snippets/tenancy/unit/add/",
        {"commune": commune_a.pk, "name": "Phòng Văn hoá- Xã hội", "kind": "office", "active": "on"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(commune=commune_a)
    assert unit.name == "Phòng Văn hóa - Xã hội"
    client.force_login(make_user("ed", roles.EDITOR, commune=commune_a))
    response = client.post(
        "/admin/snippets/tenancy/unit/add/", {"commune": commune_a.pk, "name": "Phòng Khác", "kind": "office"}
    )
    assert response.status_code in (302, 403) and Unit.objects.filter(commune=commune_a).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_runs_a_background_task(commune_a, data_a):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from lantoa.tenancy.tasks import refresh_baselines

    Household.objects.create(commune=commune_a, hamlet=data_a["hamlet"], code="AAA-0003", members=5)
    result = refresh_baselines.enqueue(commune_a.pk)
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL", row.traceback
    data_a["hamlet"].refresh_from_db()
    assert (data_a["hamlet"].households_baseline, data_a["hamlet"].residents_baseline) == (3, 12)
