"""The radio of the Nam Cường demo: loudspeaker clusters in every hamlet, two zones, a controller, the
default program (05:30 and 17:00, quiet hours 22:00–05:00 and 11:30–13:30) and one bulletin composed from
the column, synthesised, approved, published and scheduled. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lantoa.tenancy.models import Commune, Hamlet

from . import services
from .jobs import run_audio_job
from .models import Abbreviation, AudioJob, Bulletin, LoudspeakerCluster, Slot, Zone

logger = logging.getLogger("lantoa.radio")

DEMO_TITLE = "Bản tin Nghị quyết 57: khoa học, công nghệ và chuyển đổi số"
DEMO_TEXT = (
    "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ, UBND xã Nam Cường ban hành Kế "
    "hoạch truyền thông thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
    "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.\n\n"
    "Năm 2026, ít nhất 10% người dân tiếp cận thông tin định hướng của Đảng và Nhà nước qua hệ thống thông tin cơ "
    "sở; năm 2027 là 30% và đến năm 2030 là 70%.\n\n"
    "Hệ thống truyền thanh cơ sở và Tổ công nghệ số cộng đồng phát huy vai trò đưa nội dung Nghị quyết đến từng hộ "
    "gia đình. Mời bà con đón nghe bản tin lúc 5 giờ 30 và 17 giờ hằng ngày."
)
TOKEN_FILE = "demo-radio-controller.txt"


def _user(username: str):
    User = get_user_model()
    return User.objects.filter(username=username).first() or User.objects.filter(is_superuser=True).first()


@transaction.atomic
def load_radio_demo(commune: Commune) -> Bulletin | None:
    """Fill the demo commune's radio; return the demo bulletin (None when there is no user to act as)."""
    services.ensure_setup(commune)
    editor, leader = _user("bientap"), _user("lanhdao")
    if editor is None or leader is None:
        return None
    hamlets = list(Hamlet.objects.filter(commune=commune).order_by("name"))
    if not LoudspeakerCluster.objects.filter(commune=commune).exists() and hamlets:
        device, token = services.create_device(editor, commune, name="Bộ điều khiển trung tâm xã")
        path = Path(settings.VAR_DIR) / TOKEN_FILE
        path.write_text(f"{device.name}\t{token}\n")
        path.chmod(0o600)
        for index, hamlet in enumerate(hamlets):
            LoudspeakerCluster.objects.create(
                commune=commune,
                hamlet=hamlet,
                controller=device,
                name=f"Cụm loa {hamlet.name.removeprefix('Thôn ')}",
                speakers=2 + index % 3,
                location="Nhà văn hóa thôn",
            )
        half = len(hamlets) // 2
        for name, part in (("Vùng thấp", hamlets[:half]), ("Vùng cao", hamlets[half:])):
            zone = Zone.objects.create(commune=commune, name=name)
            zone.hamlets.set(part)
        Abbreviation.objects.get_or_create(
            commune=commune, abbreviation="TCNSCĐ", defaults={"expansion": "Tổ công nghệ số cộng đồng"}
        )
    bulletin = Bulletin.objects.filter(commune=commune, title=DEMO_TITLE).first()
    if bulletin is not None:
        return bulletin
    pages = list(services.column_items(commune, leaves_only=True).exclude(pk=commune.root_page_id)[:2])
    if pages:
        bulletin = services.compose_bulletin(editor, commune, pages=pages, title=DEMO_TITLE)
        bulletin.text = DEMO_TEXT + "\n\n" + bulletin.text
        services.save_bulletin(editor, bulletin)
    else:
        bulletin = services.create_bulletin(editor, commune, title=DEMO_TITLE, text=DEMO_TEXT)
    job = services.request_synthesis(editor, bulletin)
    run_audio_job(job.pk)  # at once, so the demo has its audio; the queued task then finds nothing to do
    job.refresh_from_db()
    if job.status != AudioJob.Status.DONE:
        logger.warning("radio demo: no audio (%s)", job.error)
        return bulletin
    services.submit_bulletin(editor, bulletin)
    services.approve_bulletin(leader, bulletin)
    services.publish_bulletin(editor, bulletin)
    slot = Slot.objects.filter(commune=commune, active=True).order_by("start").last()
    # Tomorrow's program: today's slots may be over already, and the demo must not depend on the hour it is loaded.
    day = timezone.localdate() + timedelta(days=1)
    for _attempt in range(3):
        try:
            services.schedule_airing(editor, bulletin, slot=slot, day=day)
            break
        except ValidationError:
            day += timedelta(days=1)
    bulletin.refresh_from_db()
    return bulletin


__all__ = ["load_radio_demo"]


def load(commune: Commune) -> None:
    """Called by load_demo (after the column's demo): the demo bulletin, its audio and its program."""
    load_radio_demo(commune)
