"""Heavy work never in the request, and faults lose nothing (issue 11, item 2).

A hostile upload is refused before anything parses it; a plan is read by the real task worker (``manage.py
worker``, in-process as the other worker tests run it) in a child process limited in time and memory; a worker
killed mid-job leaves a task "running" on a dead process, and the next worker start retries it once or fails it
with a Vietnamese message; /healthz answers 503 while no worker is alive or something is stuck.
"""

from __future__ import annotations

import io
import socket
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lantoa.plans import services as plan_services
from lantoa.plans.models import Evidence, Plan
from lantoa.reach import tables
from lantoa.tenancy import jobs, roles, uploads
from lantoa.tenancy.models import Job, WorkerHeartbeat

from .conftest import make_user

SEED = Path(__file__).resolve().parents[1] / "lantoa" / "plans" / "demo_data" / "ke-hoach-57-xa-nam-cuong-2026.txt"


def run_worker() -> None:
    call_command("worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def dead_pid() -> int:
    """The id of a process that has exited: what a killed worker leaves in its heartbeat."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def killed_worker(worker_id: str) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, host=socket.gethostname(), pid=dead_pid(), started_at=now, seen_at=now
    )


def docx(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A DOCX of about 60 KB whose document unpacks to 60 MB (the issue's was 214 KB → 60 MB)."""
    return docx(b"<w:t>" + b"Ke hoach 57 " * 5_000_000 + b"</w:t>")


@pytest.fixture
def pvhcc(commune_a):
    return make_user("pv", roles.PVHCC, commune=commune_a)


@pytest.fixture
def client_pv(pvhcc):
    client = Client()
    client.force_login(pvhcc)
    return client


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_a_zip_bomb_docx_is_refused_in_vietnamese_before_parsing_and_nothing_is_queued(client_pv):
    bomb = zip_bomb()
    assert len(bomb) < 214 * 1024
    response = client_pv.post("/admin/plans/import/", {"file": SimpleUploadedFile("ke-hoach.docx", bomb)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "giải nén ra hơn 50 MB" in page
    assert Job.objects.count() == 0 and Plan.objects.count() == 0
    assert not DBTaskResult.objects.filter(task_path__endswith="read_plan").exists()
    # Another user keeps working meanwhile: nothing held the database.
    assert client_pv.get("/admin/plans/").status_code == 200


def test_zip_checks_count_what_really_comes_out_not_only_what_is_declared():
    uploads.check_zip(docx(b"<w:t>binh thuong</w:t>"), "ok.docx")  # an ordinary document passes
    # A member whose header declares 20 bytes but inflates to 2 MB: the lie is caught while decompressing
    # (by our count, or by zipfile's own check of the size and CRC), never handed to a parser.
    data = bytearray(docx(b"A" * 2_000_000))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    real = info.file_size.to_bytes(4, "little")
    for offset in [i for i in range(len(data) - 3) if bytes(data[i : i + 4]) == real]:
        data[offset : offset + 4] = (20).to_bytes(4, "little")  # local header and central directory
    with pytest.raises(ValidationError, match="giải nén|bị hỏng"):
        uploads.check_zip(bytes(data), "noi-doi.docx")
    with pytest.raises(ValidationError, match="hỏng"):
        uploads.check_zip(b"PK\x03\x04 not really", "hong.docx")


def test_an_xlsx_roster_bomb_is_refused_before_openpyxl_opens_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * 15_000_000)
    with pytest.raises(ValidationError, match="giải nén ra hơn 50 MB"):
        tables.read_table(buffer.getvalue(), "so-ho.xlsx", {"code": ()}, ("code",))


def test_a_pdf_with_too_many_pages_is_refused(settings):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    settings.LANTOA_UPLOAD_MAX_PDF_PAGES = 3
    with pytest.raises(ValidationError, match="4 trang"):
        uploads.check_upload(out.getvalue(), "ke-hoach.pdf", max_bytes=10 * 1024 * 1024)


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_a_zip_bomb_as_evidence_is_refused_and_the_activity_is_not_saved(commune_a, pvhcc):
    from lantoa.plans.models import Activity, SolutionGroup, Task

    plan = plan_services.start_import(pvhcc, commune_a, SimpleUploadedFile("k.txt", SEED.read_bytes()))
    group = SolutionGroup.objects.create(commune=commune_a, plan=plan, code="1", title="Nhóm")
    task = Task.objects.create(commune=commune_a, plan=plan, group=group, code="1.1", title="Nhiệm vụ")
    unit = plan_services.tenancy.ensure_unit(commune_a, "Phòng Văn hóa - Xã hội")
    bomb = SimpleUploadedFile("bien-ban.docx", zip_bomb())
    with pytest.raises(ValidationError, match="giải nén"):
        plan_services.record_activity(
            pvhcc, task, unit=unit, files=[bomb], title="Họp dân", date=timezone.localdate(), channel="web_column"
        )
    assert Activity.objects.count() == 0 and Evidence.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_the_request_returns_at_once_and_the_worker_reads_the_plan(client_pv, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload = SimpleUploadedFile("ke-hoach.txt", SEED.read_bytes())
        response = client_pv.post("/admin/plans/import/", {"file": upload})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"].endswith(f"/admin/plans/import/jobs/{job.pk}/")
    assert Plan.objects.count() == 0  # nothing parsed in the request
    waiting = client_pv.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "Đang chờ" in waiting
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.DRAFT and plan.source_file.read() == SEED.read_bytes()
    assert not job.input_file.storage.exists(job.input_file.name)  # the waiting copy is gone
    done = client_pv.get(response["Location"])
    assert done.status_code == 302 and done["Location"].endswith(f"/admin/plans/import/{plan.pk}/")


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_a_plan_the_worker_cannot_read_fails_visibly_in_vietnamese(client_pv, django_capture_on_commit_callbacks):
    letter = "Kính gửi các đơn vị, đây là một lá thư.".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_pv.post("/admin/plans/import/", {"file": SimpleUploadedFile("thu.txt", letter)})
    run_worker()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "Không tìm thấy nhóm giải pháp" in job.error
    page = client_pv.get(response["Location"]).content.decode()
    assert "Không tìm thấy nhóm giải pháp" in page and 'http-equiv="refresh"' not in page
    assert Plan.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_the_parser_runs_with_a_time_and_memory_limit():
    with pytest.raises(jobs.LimitExceeded) as exc:
        jobs.run_limited(["shell", "-c", "x = bytearray(2_000_000_000)"], seconds=60, memory_mb=700)
    assert exc.value.code == "memory"
    message = plan_services._limit_message(exc.value)
    assert "bộ nhớ" in message


def _queue_plan(client, capture) -> Job:
    with capture(execute=True):
        client.post("/admin/plans/import/", {"file": SimpleUploadedFile("ke-hoach.txt", SEED.read_bytes())})
    return Job.objects.get()


def _die_running(job: Job, worker_id: str) -> DBTaskResult:
    """What `kill -9` of the worker in the middle of the job leaves: the task and the job both 'running'."""
    killed_worker(worker_id)
    result = DBTaskResult.objects.get(pk=job.task_result_id)
    result.claim(worker_id)
    jobs.claim(job.pk)
    jobs.step(job, 10, "Đang đọc")
    return result


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_a_worker_killed_mid_job_is_retried_by_the_next_worker_and_healthz_tells(
    client_pv, django_capture_on_commit_callbacks
):
    job = _queue_plan(client_pv, django_capture_on_commit_callbacks)
    _die_running(job, "killed-1")
    health = Client().get("/healthz")
    assert health.status_code == 503
    body = health.json()
    assert body["workers"]["status"] == "no_worker" and body["workers"]["stuck"]
    run_worker()  # the restarted worker retries the interrupted task, which now finishes
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2
    assert Plan.objects.filter(status=Plan.Status.DRAFT).count() == 1
    assert not DBTaskResult.objects.filter(status__in=["RUNNING", "READY"]).exists()
    jobs.beat("alive")
    health = Client().get("/healthz")
    assert health.status_code == 200 and health.json()["workers"]["stuck"] == []


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_a_job_interrupted_twice_fails_visibly_and_can_be_sent_again(client_pv, django_capture_on_commit_callbacks):
    job = _queue_plan(client_pv, django_capture_on_commit_callbacks)
    result = _die_running(job, "killed-1")
    DBTaskResult.objects.filter(pk=result.pk).update(worker_ids=["killed-0", "killed-1"])
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "tiến trình nền" in job.error.lower()
    assert DBTaskResult.objects.get(pk=result.pk).status == "FAILED"
    page = client_pv.get(f"/admin/plans/import/jobs/{job.pk}/").content.decode()
    assert "tiến trình nền" in page.lower()
    # Sending the file again is not refused.
    again = _queue_again(client_pv, django_capture_on_commit_callbacks)
    run_worker()
    again.refresh_from_db()
    assert again.status == Job.Status.DONE


def _queue_again(client, capture) -> Job:
    with capture(execute=True):
        client.post("/admin/plans/import/", {"file": SimpleUploadedFile("ke-hoach.txt", SEED.read_bytes())})
    return Job.objects.order_by("-pk").first()


@pytest.mark.django_db(transaction=True)  # the worker runs in this process and drops the connection between tasks
def test_healthz_is_503_without_a_heartbeat_and_200_with_a_live_worker():
    assert Client().get("/healthz").status_code == 503
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="old", host="elsewhere", pid=1, started_at=now, seen_at=now - jobs.WORKER_DEAD_AFTER * 2
    )
    assert Client().get("/healthz").json()["workers"]["status"] == "no_worker"
    jobs.beat("fresh")
    body = Client().get("/healthz").json()
    assert body["status"] == "ok" and body["workers"]["alive"] == 1
    # A job running for longer than any job may take is stuck: 503 even with a live worker.
    from lantoa.tenancy.models import Commune

    Job.objects.create(
        commune=Commune.objects.first() or _commune(),
        kind=Job.Kind.PLAN_IMPORT,
        status=Job.Status.RUNNING,
        started_at=now - jobs.STUCK_AFTER * 2,
    )
    health = Client().get("/healthz")
    assert health.status_code == 503 and health.json()["workers"]["status"] == "stuck"


def _commune():
    from lantoa.tenancy.services import onboard_commune

    return onboard_commune(2026)
