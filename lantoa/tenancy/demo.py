"""The Nam Cường demo: the commune of the seed plan with its units, hamlets, households, staff and logins.

Everything is generated from a fixed seed so that two runs give the same commune; running it again
changes nothing (it only fills what is missing).
"""

from __future__ import annotations

import random
import secrets
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from . import names, roles, services
from .models import Commune, Hamlet, Household, Staff, Unit

UNITS = [
    ("UBND xã", Unit.Kind.LEADERSHIP, "UBND"),
    ("Trung tâm Phục vụ hành chính công", Unit.Kind.LEAD_CENTRE, "PVHCC"),
    ("Trung tâm dịch vụ tổng hợp", Unit.Kind.SERVICE_CENTRE, "TTDVTH"),
    ("Phòng Văn hóa - Xã hội", Unit.Kind.OFFICE, "VH-XH"),
    ("Phòng Kinh tế", Unit.Kind.OFFICE, "KT"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam xã", Unit.Kind.FRONT, "UBMTTQ"),
    ("Đoàn thanh niên xã", Unit.Kind.FRONT, "ĐTN"),
    ("Hội Nông dân xã", Unit.Kind.FRONT, "HND"),
    ("Hội Liên hiệp Phụ nữ xã", Unit.Kind.FRONT, "HLHPN"),
    ("Trường Trung học cơ sở Nam Cường", Unit.Kind.SCHOOL, "THCS"),
    ("Trường Tiểu học Nam Cường", Unit.Kind.SCHOOL, "TH"),
    ("Trường Mầm non Nam Cường", Unit.Kind.SCHOOL, "MN"),
    ("Sở Khoa học và Công nghệ", Unit.Kind.EXTERNAL, "Sở KH&CN"),
    ("UBND tỉnh", Unit.Kind.EXTERNAL, "UBND tỉnh"),
    ("Bộ Khoa học và Công nghệ", Unit.Kind.EXTERNAL, "Bộ KH&CN"),
]

HAMLETS = [
    "Thôn Nà Pài",
    "Thôn Bản Chang",
    "Thôn Nà Lẹng",
    "Thôn Khuổi Tát",
    "Thôn Pác Nặm",
    "Thôn Nà Kham",
    "Thôn Bản Mới",
    "Thôn Phiêng Khảo",
    "Thôn Nà Bản",
    "Thôn Cốc Phát",
    "Thôn Nà Tâm",
    "Thôn Khau Cà",
]

SURNAMES = ["Nguyễn", "Hoàng", "Lường", "Nông", "Triệu", "Ma", "Đinh", "Lý", "Hà", "Lục", "Bế", "Vi"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hồng", "Quang", "Ngọc"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Thảo",
    "Tuấn",
    "Vân",
    "Yến",
    "Toàn",
    "Hiền",
]

# (unit short name, count, on communications duty)
STAFF_PLAN = [
    # 34 here plus the 6 demo logins' own staff records = 40 staff, 6 of them on communications duty.
    ("UBND", 3, 0),
    ("PVHCC", 7, 1),
    ("TTDVTH", 7, 2),
    ("VH-XH", 6, 1),
    ("KT", 6, 0),
    ("UBMTTQ", 2, 0),
    ("ĐTN", 1, 0),
    ("HND", 1, 0),
    ("HLHPN", 1, 0),
]

# (username, role, full name, unit short name of their staff record)
DEMO_USERS = [
    ("lanhdao", roles.LEADERSHIP, "Lường Văn Toàn", "UBND"),
    ("pvhcc", roles.PVHCC, "Nông Thị Hạnh", "PVHCC"),
    ("bientap", roles.EDITOR, "Hoàng Minh Quân", "TTDVTH"),
    ("donvi", roles.UNIT, "Triệu Thu Giang", "VH-XH"),
    ("tocns", roles.DIGITAL_TEAM, "Ma Đức Long", "ĐTN"),
    ("mttq", roles.OVERSIGHT, "Lý Hồng Vân", "UBMTTQ"),
    ("tinh", roles.PROVINCE, "Hà Quang Sơn", None),
]

LOGINS_FILE = "demo-logins.txt"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


@transaction.atomic
def load_demo(*, code: int | None = None) -> tuple[Commune, list[tuple[str, str, str]]]:
    """Create the demo commune; return it with the demo logins (username, role label, password)."""
    rng = random.Random(57)
    commune = services.onboard_commune(code or settings.LANTOA_DEMO_COMMUNE_CODE, default_site=True)
    units = {short: services.ensure_unit(commune, name, kind, short_name=short) for name, kind, short in UNITS}

    if not Hamlet.objects.filter(commune=commune).exists():
        _create_population(commune, rng)
    if not Staff.objects.filter(commune=commune).exists():
        _create_staff(commune, units, rng)
    logins = _ensure_logins(commune, units)
    _load_app_demos(commune)
    return commune, logins


def _load_app_demos(commune: Commune) -> None:
    """Each app above tenancy may ship ``demo.py`` with ``load(commune)``; run them in INSTALLED_APPS order.

    Tenancy imports no app by name: the apps are discovered, so the floors stay as docs/architecture.md says.
    """
    for config in apps.get_app_configs():
        if not config.name.startswith("lantoa.") or config.name == __package__:
            continue
        if find_spec(f"{config.name}.demo") is not None:
            module = import_module(f"{config.name}.demo")
            if hasattr(module, "load"):
                module.load(commune)


def _create_population(commune: Commune, rng: random.Random) -> None:
    households = []
    for index, name in enumerate(HAMLETS, start=1):
        count = rng.randint(200, 300)
        hamlet = Hamlet.objects.create(commune=commune, name=name, kind=Hamlet.Kind.THON)
        members_total = 0
        for number in range(1, count + 1):
            members = rng.choices([1, 2, 3, 4, 5, 6, 7, 8], weights=[4, 10, 18, 30, 20, 10, 5, 3])[0]
            members_total += members
            households.append(
                Household(commune=commune, hamlet=hamlet, code=f"NC{index:02d}-{number:04d}", members=members)
            )
        hamlet.households_baseline = count
        hamlet.residents_baseline = members_total
        hamlet.save(update_fields=["households_baseline", "residents_baseline"])
    Household.objects.bulk_create(households, batch_size=1000)


def _create_staff(commune: Commune, units: dict[str, Unit], rng: random.Random) -> None:
    for short, count, comms in STAFF_PLAN:
        for i in range(count):
            Staff.objects.create(
                commune=commune,
                unit=units[short],
                full_name=_name(rng),
                position="Phó Chủ tịch UBND xã"
                if short == "UBND" and i == 0
                else ("Trưởng đơn vị" if i == 0 else "Chuyên viên"),
                category=Staff.Category.CADRE
                if short in {"UBND", "UBMTTQ", "ĐTN", "HND", "HLHPN"}
                else (Staff.Category.PUBLIC_EMPLOYEE if short in {"PVHCC", "TTDVTH"} else Staff.Category.CIVIL_SERVANT),
                is_leadership=short == "UBND" or i == 0,
                on_comms_duty=i < comms,
            )


def _ensure_logins(commune: Commune, units: dict[str, Unit]) -> list[tuple[str, str, str]]:
    """One login per role; passwords are random, kept in var/demo-logins.txt (never committed)."""
    path = Path(settings.VAR_DIR) / LOGINS_FILE
    known = {}
    if path.exists():
        for line in path.read_text().splitlines():
            parts = line.split("\t")
            if len(parts) == 3:
                known[parts[0]] = parts[2]
    User = get_user_model()
    logins = []
    for username, role, full_name, unit_short in [("admin", "superuser", "Quản trị hệ thống", None), *DEMO_USERS]:
        password = known.get(username) or secrets.token_urlsafe(9)
        user, created = User.objects.get_or_create(username=username)
        if created or not user.check_password(password):
            user.set_password(password)
        user.first_name, user.last_name = names.split_full_name(full_name)
        user.is_superuser = user.is_staff = role == "superuser"
        user.save()
        if role == roles.PROVINCE:
            services.grant_role(user, role, province=commune.province)
        elif role != "superuser":
            services.grant_role(user, role, commune=commune)
        if unit_short:
            Staff.objects.update_or_create(
                commune=commune,
                user=user,
                defaults={
                    "full_name": full_name,
                    "unit": units[unit_short],
                    "is_leadership": role == roles.LEADERSHIP,
                    "on_comms_duty": role in (roles.EDITOR, roles.PVHCC),
                    "position": "Phó Chủ tịch UBND xã" if role == roles.LEADERSHIP else "Chuyên viên",
                },
            )
        if role == roles.DIGITAL_TEAM:
            # The demo team visits the first three hamlets: its visit form offers only those.
            staff = Staff.objects.get(commune=commune, user=user)
            staff.hamlets.set(Hamlet.objects.filter(commune=commune).order_by("name")[:3])
        label = str(roles.ROLES[role].label) if role in roles.ROLES else "Superuser"
        logins.append((username, label, password))
    path.write_text("".join(f"{u}\t{label}\t{p}\n" for u, label, p in logins))
    path.chmod(0o600)
    return logins
