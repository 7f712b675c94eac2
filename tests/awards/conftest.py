"""A round of the yearly awards in commune A: units, a hamlet, a staff member, a council of three."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.awards import services
from lantoa.tenancy import roles
from lantoa.tenancy.models import Staff
from tests.conftest import make_user

CLOCK = "2027-11-18T09:00:00+07:00"
CRITERIA = [("Kết quả tiếp cận", 50), ("Sáng tạo", 30), ("Sản phẩm truyền thông", 20)]


@pytest.fixture
def council(commune_a):
    chair = make_user("chu_tich", roles.LEADERSHIP, commune=commune_a)
    chair.first_name, chair.last_name = "Toàn", "Lường Văn"
    chair.save()
    return [
        chair,
        make_user("uy_vien_1", roles.PVHCC, commune=commune_a),
        make_user("uy_vien_2", roles.UNIT, commune=commune_a),
    ]


@pytest.fixture
def nominator(commune_a, data_a):
    user = make_user("don_vi", roles.UNIT, commune=commune_a)
    Staff.objects.create(commune=commune_a, unit=data_a["unit"], full_name="Người đề cử", user=user)
    return user


@pytest.fixture
def front(commune_a):
    return make_user("mat_tran", roles.OVERSIGHT, commune=commune_a)


@pytest.fixture
def award_round(commune_a, council):
    chair = council[0]
    return services.create_round(
        chair,
        commune_a,
        title="Khen thưởng truyền thông Nghị quyết 57 năm 2027",
        year=2027,
        nominations_open=dt.date(2027, 11, 1),
        nominations_close=dt.date(2027, 11, 30),
        criteria=CRITERIA,
        council=[u.pk for u in council],
        chair=chair.pk,
    )
