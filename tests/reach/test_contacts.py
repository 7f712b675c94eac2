"""One set of rules for every contact, whether it is entered alone (the back office) or in a batch (a sign-in
sheet, the API, the visit form). Where the two used to disagree, the stricter rule holds for both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from lantoa.reach import services
from lantoa.reach.models import Contact

from ..conftest import WORKING_MORNING

# Contacts of March 2026 must not be in the future, whatever --clock says.
pytestmark = [pytest.mark.django_db, pytest.mark.clock(WORKING_MORNING)]

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("goc", password="Mk-kiem-thu-57!")


def alone(root, activity, **fields):
    return services.record_contact(root, activity=activity, **{"date": DAY, **fields})


def in_a_batch(root, activity, **row):
    return services.record_contacts_bulk(root, activity=activity, rows=[{"date": DAY, **row}])


@pytest.mark.parametrize(
    "change, field, sentence, phrase",
    [
        # A batch used to accept these three (the note cut short, "0 people" counted as one).
        (
            {"channel": "online"},
            "household",
            "Lượt xem trực tuyến không gắn được với một hộ.",
            "lượt xem trực tuyến không gắn với hộ",
        ),
        ({"people": 0}, "people", "Ít nhất một người.", "ít nhất một người"),
        ({"note": "x" * 301}, "note", "Ghi chú dài tối đa 300 ký tự.", "ghi chú dài quá 300 ký tự"),
        # A contact entered alone used to accept a date before 2000.
        (
            {"date": dt.date(1999, 12, 31)},
            "date",
            "Nhập ngày của lượt tiếp cận, từ năm 2000 trở đi.",
            "ngày không hợp lệ",
        ),
    ],
)
def test_where_single_and_bulk_entry_differed_both_refuse(
    root, visit_activity, data_a, change, field, sentence, phrase
):
    household = data_a["households"][0]
    with pytest.raises(ValidationError) as refused:
        alone(root, visit_activity, **{"channel": "visit", "household": household, **change})
    assert refused.value.message_dict == {field: [sentence]}
    with pytest.raises(ValidationError) as refused:
        in_a_batch(root, visit_activity, **{"channel": "visit", "household_id": household.pk, **change})
    assert refused.value.messages == [f"Dòng 1: {phrase}."]
    assert not Contact.objects.exists()


def test_an_online_view_is_in_no_hamlet_however_it_is_entered(root, visit_activity, data_a):
    hamlet = data_a["hamlet"]
    alone(root, visit_activity, channel="online", hamlet=hamlet, people=40)
    in_a_batch(root, visit_activity, channel="online", hamlet_id=hamlet.pk, people=60)
    assert list(Contact.objects.order_by("people").values_list("people", "hamlet_id")) == [(40, None), (60, None)]


def test_a_batch_row_without_people_counts_one_person_and_takes_its_households_hamlet(root, visit_activity, data_a):
    household = data_a["households"][0]
    in_a_batch(root, visit_activity, channel="visit", household_id=household.pk, note="Lần đầu")
    contact = Contact.objects.get()
    assert (contact.people, contact.hamlet_id, contact.note) == (1, household.hamlet_id, "Lần đầu")
