"""The daily e-mail of what waits for each user (tenancy.digest): the inbox's lines and counts, in Vietnamese, sent
only when e-mail is configured, once a day, never for an empty inbox, a user without an address or one who opted out."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lantoa.plans import services as plans
from lantoa.tenancy import digest, roles, tasks
from lantoa.tenancy.models import UserAccount

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured(settings):
    settings.LANTOA_INBOX_DIGEST = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.WAGTAILADMIN_BASE_URL = "https://lantoa.example.vn"
    return settings


@pytest.fixture
def waiting(commune_a, data_a):
    """Two new obstacles for the focal point, one escalated to the leadership."""
    pvhcc = make_user("dau_moi", roles.PVHCC, commune=commune_a)
    pvhcc.email, pvhcc.first_name, pvhcc.last_name = "daumoi@namcuong.vn", "Hạnh", "Nông Thị"
    pvhcc.save()
    leader = make_user("lanh_dao", roles.LEADERSHIP, commune=commune_a)
    leader.email = "lanhdao@namcuong.vn"
    leader.save()
    unit = data_a["unit"]
    for title in ("Thiếu loa", "Thiếu máy chiếu", "Thiếu tài liệu tiếng Tày"):
        plans.raise_obstacle(pvhcc, commune_a, unit=unit, title=title, description="Mô tả")
    obstacle = plans.raise_obstacle(pvhcc, commune_a, unit=unit, title="Cụm loa hỏng", description="Hỏng bộ thu")
    plans.move_obstacle(pvhcc, obstacle, "escalate", "Đề nghị lãnh đạo xem xét")
    mail.outbox.clear()  # the notifications of these moves
    return pvhcc, leader


def inbox_lines(client, user) -> list[str]:
    client.force_login(user)
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".lantoa-inbox li a")]


def test_each_user_gets_the_lines_of_their_inbox_in_vietnamese(client, configured, waiting):
    pvhcc, leader = waiting
    assert digest.send_digests() == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {pvhcc.email, leader.email}

    focal = by_address[pvhcc.email]
    lines = inbox_lines(client, pvhcc)
    assert lines == [
        "3 khó khăn, vướng mắc mới cần xử lý",
        "Báo cáo 6 tháng đầu năm 2026: chưa lập — hạn 20/06/2026 (đã quá hạn)",
    ]
    assert focal.subject == "Lan Tỏa: 4 việc đang chờ bạn"  # 3 obstacles + 1 report
    assert focal.body.startswith("Kính gửi Nông Thị Hạnh,")
    assert "Những việc đang chờ bạn trên Lan Tỏa ngày 18/11/2026:" in focal.body
    assert f"- {lines[0]}\n  https://lantoa.example.vn/admin/plans/obstacles/\n" in focal.body
    assert f"- {lines[1]}\n  https://lantoa.example.vn/admin/baocao/?commune=" in focal.body
    assert "Hướng dẫn sử dụng: https://lantoa.example.vn/huong-dan/dau-moi/" in focal.body
    assert "https://lantoa.example.vn/admin/account/" in focal.body

    lines = inbox_lines(client, leader)
    assert lines == [
        "1 khó khăn, vướng mắc đã chuyển lãnh đạo, chờ anh/chị trả lời",
        "Báo cáo 6 tháng đầu năm 2026: chưa lập — hạn 20/06/2026 (đã quá hạn)",
    ]
    assert by_address[leader.email].subject == "Lan Tỏa: 2 việc đang chờ bạn"
    assert all(f"- {line}\n" in by_address[leader.email].body for line in lines)


def test_nothing_is_sent_twice_a_day_nor_for_an_empty_inbox_an_opt_out_or_no_address(configured, commune_a, waiting):
    pvhcc, leader = waiting
    idle = make_user("khong_viec", roles.UNIT, commune=commune_a)
    idle.email = "donvi@namcuong.vn"
    idle.save()
    assert digest.items_for(idle) == []
    UserAccount.objects.create(user=leader, inbox_digest=False)
    leader.refresh_from_db()

    assert digest.send_digests() == 1
    assert [m.to for m in mail.outbox] == [[pvhcc.email]]
    assert digest.send_digests() == 0  # the same day again
    assert len(mail.outbox) == 1

    pvhcc.email = ""
    pvhcc.save()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert digest.send_digests(tomorrow) == 0
    assert len(mail.outbox) == 1


def test_nothing_is_sent_or_scheduled_when_email_is_not_configured(settings, waiting):
    settings.LANTOA_INBOX_DIGEST = False
    assert digest.send_digests() == 0
    assert tasks.schedule_daily_digest() is False
    assert mail.outbox == []
    assert not DBTaskResult.objects.filter(task_path=tasks.send_inbox_digests.module_path).exists()


def test_the_worker_task_sends_and_queues_tomorrow_mornings_run(configured, waiting):
    assert tasks.send_inbox_digests.call() == 2
    assert len(mail.outbox) == 2
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.send_inbox_digests.module_path, status="READY")
    now = timezone.localtime()
    seven = now.replace(hour=7, minute=0, second=0, microsecond=0)
    # The next 07:00: later today when the run happens at night (the suite's night clock), else tomorrow.
    assert timezone.localtime(queued.run_after) == (seven if now < seven else seven + dt.timedelta(days=1))
    assert tasks.schedule_daily_digest() is True  # idempotent: still one waiting
    assert DBTaskResult.objects.filter(task_path=tasks.send_inbox_digests.module_path, status="READY").count() == 1


def test_a_user_turns_the_email_off_on_their_account_page(client, configured, waiting):
    pvhcc, _leader = waiting
    client.force_login(pvhcc)
    soup = BeautifulSoup(client.get("/admin/account/").content, "html.parser")
    box = soup.find("input", attrs={"name": "lantoa_inbox_digest-inbox_digest"})
    assert box is not None and box.has_attr("checked")
    assert "gửi thư cho tôi mỗi sáng về những việc đang chờ tôi" in soup.get_text().lower()
    form = box.find_parent("form")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "file") or name == box["name"]:
            continue
        if field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") == "radio":
            if field.has_attr("checked"):
                data[name] = field.get("value")
        else:
            data[name] = field.get("value", "") if field.name == "input" else field.get_text()
    answer = client.post("/admin/account/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert UserAccount.objects.get(user=pvhcc).inbox_digest is False
    assert pvhcc not in digest.recipients()
