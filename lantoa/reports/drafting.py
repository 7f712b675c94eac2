"""The draft of a report, written from the records.

``collect(commune, span, as_of)`` reads everything the document needs into one JSON-able snapshot (the
plan, the activities of the period per group, task and unit, the indicators exactly as
``lantoa.reach.selectors.indicator_values`` gives them, the hamlets, the budget, the obstacles).
``compose(snapshot)`` writes the Vietnamese text of each editable section from that snapshot, and
``header_defaults`` the document's header and closing. Nothing here writes to the database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Q
from django.utils import timezone, translation

from lantoa.awards import reporting as awards_reporting
from lantoa.budget import reporting as budget_reporting
from lantoa.events import reporting as events_reporting
from lantoa.learning import reporting as learning_reporting
from lantoa.partners import reporting as partner_reporting
from lantoa.plans import selectors as plan_selectors
from lantoa.plans.models import Activity, CalendarEvent, Evidence, Obstacle, Plan, Task, UnitDuty
from lantoa.reach import indicators as ind
from lantoa.reach import selectors as reach_selectors
from lantoa.reach.indicators import IndicatorStatus
from lantoa.reach.models import Briefing
from lantoa.tenancy.models import Commune

from . import periods
from . import wording as W

SECTION_KEYS = [
    "direction",
    "results",
    "partners",
    "external",
    "indicators",
    "budget",
    "highlights",
    "obstacles",
    "causes",
    "lessons",
    "directions",
    "proposals",
    "closing",
]
SECTION_TITLES = {
    "direction": "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI",
    "results": "II. KẾT QUẢ THỰC HIỆN",
    "partners": "Doanh nghiệp, cơ sở sản xuất, tổ chức khoa học và công nghệ",
    "external": "Thông tin đối ngoại, hợp tác quốc tế",
    "indicators": "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
    "budget": "IV. KINH PHÍ THỰC HIỆN",
    "highlights": "1. Kết quả nổi bật",
    "obstacles": "2. Hạn chế, khó khăn, vướng mắc",
    "causes": "3. Nguyên nhân",
    "lessons": "4. Bài học kinh nghiệm",
    "directions": "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    "proposals": "VII. KIẾN NGHỊ, ĐỀ XUẤT",
    "closing": "",
}
# A heading printed once before the first of its sections (the numbered sub-sections of the assessment).
SECTION_PARTS = {"highlights": "V. ĐÁNH GIÁ CHUNG"}
# What the records cannot say is left for the commune, marked so: a report is not submitted or issued with it.
TO_WRITE = "[Xã viết: "


def to_write(hint: str) -> str:
    return f"{TO_WRITE}{hint}]"


def unwritten(sections: dict[str, str]) -> list[str]:
    """The sections (in document order) that still hold text the commune has to write."""
    return [key for key in SECTION_KEYS if TO_WRITE in (sections.get(key) or "")]


NATIONAL_PROGRAMME = (
    "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ phê duyệt Chương trình “Đẩy mạnh "
    "truyền thông thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia đến năm 2030”"
)
EXAMPLES_PER_TASK = 2


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


# --- Reading the records --------------------------------------------------------------------------------


def plan_for(commune: Commune, year: int) -> Plan | None:
    """The plan the report is about: the year's plan in force, else the newest plan in force."""
    plans = Plan.objects.filter(commune=commune, status=Plan.Status.ACTIVE)
    return plans.filter(year=year).order_by("-version").first() or plans.order_by("-year", "-version").first()


def _plan_block(plan: Plan | None) -> dict | None:
    if plan is None:
        return None
    versions = list(
        Plan.objects.filter(commune_id=plan.commune_id, year=plan.year)
        .exclude(status=Plan.Status.DRAFT)
        .order_by("version")
        .values("version", "created_at", "status")
    )
    lead = set()
    for task in plan.tasks.prefetch_related("lead_units", "cooperating_units"):
        lead |= {u.pk for u in task.lead_units.all()} | {u.pk for u in task.cooperating_units.all()}
    return {
        "id": plan.pk,
        "title": plan.title,
        "number": plan.number,
        "issued_on": plan.issued_on,
        "year": plan.year,
        "version": plan.version,
        "versions": versions,
        "basis": plan.basis,
        "groups": plan.groups.count(),
        "tasks": plan.tasks.filter(details__isnull=True).count(),  # a task detailed in the appendix counts once
        "targets": list(plan.targets.order_by("year", "order").values("year", "text", "indicator_code")),
        "units": len(lead),
        "duties": UnitDuty.objects.filter(plan=plan).count(),
        "recipients": plan.recipients,
        "signer_name": plan.signer_name,
        "signer_title": plan.signer_title,
        "signer_on_behalf": plan.signer_on_behalf,
        "place": plan.place,
    }


def _activities_block(plan: Plan | None, commune: Commune, start: dt.date, end: dt.date) -> dict:
    """The activities of the period, per group, task and unit, with counts by channel and people reached.

    A legal period starts on 15 December of the year before: activities recorded then under the previous
    year's plan count under the task of the same code in the plan reported on (others are left out)."""
    rows = Activity.objects.filter(commune=commune, date__gte=start, date__lte=end)
    by_code = {}
    if plan is not None:
        by_code = dict(Task.objects.filter(plan=plan).values_list("code", "pk"))
        earlier = Q(task__plan__year__lt=plan.year, task__code__in=list(by_code))
        rows = rows.filter(Q(task__plan=plan) | earlier)
    rows = list(rows.select_related("unit", "task").order_by("date", "pk"))
    by_channel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_task: dict[int, list[Activity]] = defaultdict(list)
    for a in rows:
        by_channel[a.channel][0] += 1
        by_channel[a.channel][1] += a.people_count
        same_plan = plan is None or a.task.plan_id == plan.pk
        by_task[a.task_id if same_plan else by_code[a.task.code]].append(a)
    evidence = Evidence.objects.filter(activity__in=[a.pk for a in rows]).count() if rows else 0
    groups = []
    states = {}
    if plan is not None:
        states = {s.task.pk: s for s in plan_selectors.task_states(plan, end)}
        last_by_task = last_activities(plan, end)
        for group in plan.groups.all():
            tasks = []
            for task in Task.objects.filter(group=group).order_by("order").prefetch_related("lead_units"):
                acts = by_task.get(task.pk, [])
                units: dict[str, dict] = {}
                for a in acts:
                    unit = units.setdefault(a.unit.name, {"name": a.unit.name, "channels": defaultdict(lambda: [0, 0])})
                    unit["channels"][a.channel][0] += 1
                    unit["channels"][a.channel][1] += a.people_count
                examples = _examples(acts)
                state = states.get(task.pk)
                tasks.append(
                    {
                        "code": task.code,
                        "title": task.title,
                        "count": len(acts),
                        "people": sum(a.people_count for a in acts),
                        "status": state.status if state else "",
                        "progress": state.progress if state else None,
                        "last_activity": last_by_task.get(task.pk),
                        "lead_units": [u.name for u in task.lead_units.all()],
                        "units": [
                            {
                                "name": u["name"],
                                "channels": [
                                    {"channel": ch, "n": v[0], "people": v[1]}
                                    for ch, v in sorted(
                                        u["channels"].items(),
                                        key=lambda kv: W.CHANNEL_ORDER.index(kv[0]) if kv[0] in W.CHANNEL_ORDER else 99,
                                    )
                                ],
                            }
                            for u in units.values()
                        ],
                        "examples": examples,
                    }
                )
            groups.append({"code": group.code, "title": group.title, "tasks": tasks})
    return {
        "total": len(rows),
        "people": sum(a.people_count for a in rows),
        "evidence": evidence,
        "units": len({a.unit_id for a in rows}),
        "tasks_with_activity": len(by_task),
        "by_channel": [
            {"channel": ch, "n": v[0], "people": v[1]}
            for ch, v in sorted(
                by_channel.items(), key=lambda kv: W.CHANNEL_ORDER.index(kv[0]) if kv[0] in W.CHANNEL_ORDER else 99
            )
        ],
        "groups": groups,
    }


def last_activities(plan: Plan, as_of: dt.date) -> dict[int, dt.date]:
    """Each task's last activity up to the cut-off day (later ones are not known to the report)."""
    rows = (
        Activity.objects.filter(task__plan=plan, date__lte=as_of)
        .values("task_id")
        .annotate(last=Max("date"))
        .values_list("task_id", "last")
    )
    return dict(rows)


def _examples(acts: list[Activity]) -> list[dict]:
    """The most attended activities with distinct titles (at most EXAMPLES_PER_TASK)."""
    seen, out = set(), []
    for a in sorted(acts, key=lambda a: (-a.people_count, a.date)):
        if a.title in seen:
            continue
        seen.add(a.title)
        out.append(
            {"title": a.title, "date": a.date, "people": a.people_count, "unit": a.unit.name, "location": a.location}
        )
        if len(out) == EXAMPLES_PER_TASK:
            break
    return out


def _obstacles_block(commune: Commune, as_of: dt.date) -> list[dict]:
    stop = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    rows = (
        Obstacle.objects.filter(commune=commune, raised_at__lt=stop)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=stop))
        .exclude(status=Obstacle.Status.CLOSED)
        .select_related("unit", "task")
        .order_by("raised_at")
    )
    return [
        {
            "title": o.title,
            "description": o.description,
            "proposal": o.proposal,
            "status": o.status,
            "unit": o.unit.name,
            "task": o.task.code if o.task else "",
            "answer": o.answer,
            "raised_at": timezone.localdate(o.raised_at),
        }
        for o in rows
    ]


def _briefings(commune: Commune, start: dt.date, end: dt.date) -> dict:

    rows = Briefing.objects.filter(commune=commune, date__gte=start, date__lte=end)
    return {"count": rows.count(), "attendances": Briefing.attendees.through.objects.filter(briefing__in=rows).count()}


def _upcoming(commune: Commune, span: periods.Span, as_of: dt.date) -> list[dict]:
    """National days and deadlines of the coming period (for “Phương hướng”)."""
    until = dt.date(span.year, 12, 31) if span.kind != "year" else dt.date(span.year + 1, 6, 30)
    events = CalendarEvent.objects.filter(
        commune=commune,
        date__gt=as_of,
        date__lte=until,
        kind__in=[CalendarEvent.Kind.NATIONAL_DAY, CalendarEvent.Kind.REPORT_DEADLINE],
    )
    return [{"date": e.date, "title": e.title, "kind": e.kind} for e in events.order_by("date")]


def _hamlets(commune: Commune, period, as_of: dt.date) -> list[dict]:
    out = []
    for row in reach_selectors.hamlet_table(commune, period, as_of):
        out.append(
            {
                **{k: v for k, v in row.items() if k != "hamlet"},
                "name": row["hamlet"].name,
                "hamlet_id": row["hamlet"].pk,
            }
        )
    return out


def estimates(indicators: list[dict], until: dt.date) -> list[dict]:
    """“Ước thực hiện” to the end of the half or the year, from the figures at the cut-off only."""
    out = []
    for row in indicators:
        if row.get("companion_of"):
            continue
        estimate = reach_selectors.estimate_to(row, until)
        if estimate is not None:
            out.append({**estimate, "name": W.indicator_name(row), "target": row.get("target")})
    return out


def _untranslated_methods_removed(rows: list[dict]) -> list[dict]:
    """The document is Vietnamese only: a method text the indicators' catalogue has not translated yet is left
    out of the appendix rather than printed in English (the figures are untouched)."""

    for row in rows:
        indicator = ind.get(row["code"])
        if indicator is None:
            continue
        for key, attr in (
            ("method_text", "explanation"),
            ("numerator_text", "numerator"),
            ("denominator_text", "denominator"),
        ):
            with translation.override("en"):
                english = str(getattr(indicator, attr))
            if row.get(key) == english:
                row[key] = ""
    return rows


def collect(
    commune: Commune,
    span: periods.Span,
    as_of: dt.date | None = None,
    *,
    plan: Plan | None = None,
    estimate: bool = False,
) -> dict:
    """Everything the document shows, read from the records as of the cut-off day.

    The narrative covers the report's period (for the 6-month and annual reports, Decree 09/2019's 15/12 to
    14/6 or 14/12); the indicators are those of ``span.reach`` (the target year, calendar year to date) as of
    the same cut-off. With ``estimate``, an “ước thực hiện” to the end of the half or the year is added,
    computed from the figures at the cut-off only."""
    as_of = as_of or span.default_as_of()
    if not span.start <= as_of:
        as_of = span.start
    as_of = min(as_of, span.end)
    plan = plan if plan is not None else plan_for(commune, span.year)
    # The figures, their projections and their statuses count records up to the cut-off only (the dashboard
    # with the same cut-off shows the same figures).
    engine_day = as_of
    with translation.override("vi"):
        indicators = _untranslated_methods_removed(
            reach_selectors.indicator_values(commune, span.reach, today=engine_day)
        )
        hamlets = _hamlets(commune, span.reach, engine_day)
    states = plan_selectors.task_states(plan, as_of) if plan else []
    last = last_activities(plan, as_of) if plan else {}
    late = [
        {
            "code": s.task.code,
            "title": s.task.title,
            "last_activity": last.get(s.task.pk),
            "units": [u.name for u in s.task.lead_units.all()],
        }
        for s in states
        if s.status == Task.Status.LATE
    ]
    province = commune.province
    data = {
        "taken_at": timezone.now(),
        "as_of": as_of,
        "engine_day": engine_day,
        "period": {
            "kind": span.kind,
            "start": span.start,
            "end": span.end,
            "reach": span.reach.code,
            "reach_start": span.reach.start,
            "reach_end": span.reach.end,
            "exact": span.exact,
            "label": periods.label(span),
            "reach_label": periods.reach_label(span.reach),
            "next_label": periods.next_label(span),
            "range_label": periods.range_label(span),
            "legal": span.legal,
            "year": span.year,
            "period_end": span.period_end,
        },
        "commune": {
            "code": commune.code,
            "name": commune.name,
            "short_name": commune.short_name,
            "division_type": commune.division_type,
            "province": province.name,
            "province_type": province.division_type,
        },
        "plan": _plan_block(plan),
        "activities": _activities_block(plan, commune, span.start, as_of),
        "briefings": _briefings(commune, span.start, as_of),
        "events": events_reporting.facts(commune, span.start, as_of),
        "indicators": indicators,
        "hamlets": hamlets,
        "budget": budget_reporting.block(commune, span.year, as_of),
        "learning": learning_reporting.facts(commune.pk, span.start, as_of),
        "awards": awards_reporting.facts(commune, span.year, as_of),
        "obstacles": _obstacles_block(commune, as_of),
        "partners": partner_reporting.facts(commune, span.year, span.start, as_of),
        "late_tasks": late,
        "upcoming": _upcoming(commune, span, as_of),
        "estimate_requested": bool(estimate),
        "estimates": estimates(indicators, span.period_end) if estimate and span.period_end > as_of else [],
    }
    return _jsonable(data)


# --- Header and closing -----------------------------------------------------------------------------------


def issuing_body(data: dict) -> tuple[str, str]:
    """(“ỦY BAN NHÂN DÂN”, “XÃ NAM CƯỜNG”)."""
    return "ỦY BAN NHÂN DÂN", data["commune"]["name"].upper()


PROGRAMME = "Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW"


def _plan_title_phrase(plan: dict | None) -> str:
    """“Kế hoạch triển khai Chương trình “Đẩy mạnh truyền thông thực hiện Nghị quyết số 57-NQ/TW””: the plan's
    title with the programme's name cut before its date (a summary line fits on two lines)."""
    if plan is None:
        return f"Kế hoạch triển khai Chương trình “{PROGRAMME}”"
    title = W.strip_end(plan["title"])
    match = re.search(r"Chương trình\s*“([^”]+)”", title)
    if match:
        name = re.split(r"\s+ngày\s+\d", match.group(1))[0].strip()
        return f"Kế hoạch triển khai Chương trình “{name}”"
    return "Kế hoạch " + W.lower_first(title)


def plan_reference(plan: dict | None) -> str:
    """“Kế hoạch số 12/KH-UBND ngày 05/3/2026” (with “…” for what the plan's text left blank)."""
    if plan is None:
        return "Kế hoạch"
    number = (plan.get("number") or "").strip()
    if not any(ch.isdigit() for ch in number.split("/")[0]):
        number = "…" + (number if number.startswith("/") else ("/" + number if number else "/KH-UBND"))
    text = f"Kế hoạch số {number}"
    if plan.get("issued_on"):
        text += f" ngày {W.date(plan['issued_on'])}"
    else:
        text += f" năm {plan['year']}"
    return text


def header_defaults(data: dict) -> dict:
    """The header and closing of the document, from the commune and the plan (each editable)."""
    commune, plan = data["commune"], data["plan"] or {}
    province = f"Ủy ban nhân dân {commune['province_type'].lower()} {commune['province']}".replace("  ", " ")
    archive = "Lưu: VT"
    recipients = ["Như trên", "Lãnh đạo UBND xã", "Trung tâm Phục vụ hành chính công"]
    for line in plan.get("recipients") or []:
        if line.strip().lower().startswith("lưu"):
            archive = W.strip_end(line)
    plan_units = [r for r in (plan.get("recipients") or []) if r.strip().lower().startswith("sở khoa học")]
    recipients = ["Như trên"] + plan_units + recipients[1:]
    summary = f"Kết quả thực hiện {_plan_title_phrase(data['plan'])} {data['period']['label']}"
    return {
        "place": (plan.get("place") or commune["short_name"]).strip(),
        "summary": summary,
        "addressees": ["Bộ Khoa học và Công nghệ", province],
        "recipients": recipients,
        "archive": archive,
        "signer_on_behalf": plan.get("signer_on_behalf") or "KT. CHỦ TỊCH",
        "signer_title": plan.get("signer_title") or "PHÓ CHỦ TỊCH",
        "signer_name": plan.get("signer_name") or "",
    }


# --- The sections -----------------------------------------------------------------------------------------


def _direction(data: dict) -> str:
    plan, commune, acts = data["plan"], data["commune"], data["activities"]
    lines = []
    basis = NATIONAL_PROGRAMME
    if plan and (plan.get("basis") or "").startswith("Thực hiện"):
        basis = W.strip_end(plan["basis"].split(";")[0])
        basis = re.sub(r"(\d)-\s+(NQ|QĐ|KH)", r"\1-\2", basis)  # “57- NQ/TW” as typed in the plan
    subject = f"UBND {commune['division_type'].lower()} {commune['short_name']}"
    if plan is None:
        lines.append(f"{basis}, {subject} đang xây dựng Kế hoạch triển khai thực hiện trên địa bàn.")
    else:
        years = sorted({t["year"] for t in plan["targets"]})
        targets_this_year = sum(1 for t in plan["targets"] if t["year"] == plan["year"])
        sentence = (
            f"{basis}, {subject} đã ban hành {plan_reference(plan)} triển khai thực hiện Chương trình trên "
            f"địa bàn, trong đó xác định {plan['groups']} nhóm giải pháp với {plan['tasks']} nhiệm vụ cụ thể"
        )
        if targets_this_year:
            sentence += f", {targets_this_year} mục tiêu cụ thể của năm {plan['year']}"
        if years and years[-1] > plan["year"]:
            sentence += f" và các mục tiêu đến năm {years[-1]}"
        sentence += f"; giao {plan['units']} cơ quan, đơn vị chủ trì, phối hợp thực hiện."
        lines.append(sentence)
        if len(plan["versions"]) > 1:
            lines.append(
                f"Trong quá trình thực hiện, Kế hoạch đã được cập nhật, điều chỉnh {len(plan['versions']) - 1} "
                f"lần; các nhiệm vụ được giao tiếp tục được theo dõi theo phiên bản hiện hành."
            )
    briefings = data["briefings"]
    if briefings["count"]:
        text = (
            f"Tổ chức {W.number(briefings['count'])} hội nghị, buổi sinh hoạt chuyên đề quán triệt, phổ biến "
            f"Nghị quyết số 57-NQ/TW và các văn bản liên quan cho cán bộ, công chức, viên chức"
        )
        if briefings["attendances"]:
            text += f" với {W.number(briefings['attendances'])} lượt người tham dự"
        lines.append(text + ".")
    if acts["total"]:
        lines.append(
            f"Trung tâm Phục vụ hành chính công là đầu mối theo dõi, đôn đốc việc thực hiện; trong kỳ, "
            f"{W.number(acts['units'])} cơ quan, đơn vị đã cập nhật {W.number(acts['total'])} hoạt động"
            + (f" với {W.number(acts['evidence'])} tài liệu minh chứng" if acts["evidence"] else "")
            + " trên hệ thống theo dõi thực hiện Kế hoạch."
        )
    return "\n".join(lines)


def _unit_sentence(unit: dict) -> str:
    phrases = [W.channel_phrase(c["channel"], c["n"], c["people"]) for c in unit["channels"]]
    return f"- {unit['name']} " + "; ".join(phrases) + "."


def _results(data: dict) -> str:
    acts = data["activities"]
    span = data["period"]
    lines = []
    intro = (
        f"Trong kỳ báo cáo (từ ngày {W.date(span['start'])} đến ngày {W.date(data['as_of'])}), các cơ quan, "
        f"đơn vị đã triển khai {W.number(acts['total'])} hoạt động"
    )
    if data["plan"]:
        intro += f" thuộc {acts['tasks_with_activity']}/{data['plan']['tasks']} nhiệm vụ của Kế hoạch"
    if acts["people"]:
        intro += (
            f", với tổng số {W.number(acts['people'])} lượt người tham dự, được tiếp cận (số lượt do đơn vị ghi "
            f"ở từng hoạt động, một người có thể được tính nhiều lần; số người dân được tiếp cận tại mục III đếm "
            f"mỗi người một lần)"
        )
    totals = [
        W.CHANNEL_TOTALS.get(c["channel"], W.CHANNEL_TOTALS["other"]).format(n=W.number(c["n"]))
        for c in acts["by_channel"]
    ]
    if totals:
        intro += "; trong đó: " + "; ".join(totals)
    lines.append(intro + ".")
    if not acts["total"]:
        lines[-1] = (
            f"Trong kỳ báo cáo (từ ngày {W.date(span['start'])} đến ngày {W.date(data['as_of'])}), chưa có "
            f"hoạt động nào được cập nhật."
        )
    lines += events_reporting.paragraph(data.get("events"))  # meetings and events, from their attendance
    lines += learning_reporting.paragraphs(data.get("learning"))  # training and contests (learning app)
    for group in acts["groups"]:
        lines.append(f"{group['code']}. {W.strip_end(group['title'])}")
        for task in group["tasks"]:
            if not (task["code"] == group["code"] or task["title"] == group["title"]):
                lines.append(f"{task['code']}. {first_sentence(task['title'])}.")
            if not task["units"]:
                text = "Trong kỳ chưa ghi nhận kết quả thực hiện"
                if task["lead_units"]:
                    text += f" (đơn vị chủ trì: {', '.join(task['lead_units'])})"
                lines.append(text + ".")
            for unit in task["units"]:
                lines.append(_unit_sentence(unit))
            if task["examples"]:
                items = []
                for ex in task["examples"]:
                    detail = f"ngày {W.date(ex['date'])}"
                    if ex["location"]:
                        detail += f", tại {ex['location']}"
                    if ex["people"]:
                        detail += f", {W.number(ex['people'])} người tham dự"
                    items.append(f"{W.strip_end(ex['title'])} ({detail})")
                lines.append("Hoạt động tiêu biểu: " + "; ".join(items) + ".")
            if task["status"]:
                status = f"Tình hình thực hiện: {W.TASK_STATUS.get(task['status'], task['status'])}"
                if task["status"] == "late" and task["last_activity"]:
                    status += f" (hoạt động gần nhất ngày {W.date(task['last_activity'])})"
                lines.append(status + ".")
    if awards := awards_reporting.text(data.get("awards")):  # from the awards records, as of the cut-off
        lines.append(awards)
    return "\n".join(lines)


def indicator_intro(data: dict) -> str:
    """The fixed sentences above the indicators' table: the period, the cut-off and the indicator period used."""
    period = data["period"]
    as_of = W.date(data["as_of"])
    text = ""
    if period.get("legal"):
        text += (
            f"Kỳ báo cáo {period['range_label']} (theo Điều 12 {periods.DECREE}). Các chỉ tiêu là chỉ tiêu năm "
            f"{period['year']}: kết quả được tính lũy kế từ ngày {W.date(period['reach_start'])} đến ngày {as_of} "
            f"và so với mục tiêu năm {period['year']}. "
        )
    text += (
        f"Số liệu tính đến ngày {as_of}, do hệ thống tổng hợp từ dữ liệu cập nhật của các cơ "
        f"quan, đơn vị (phương pháp tính từng chỉ tiêu tại Phụ lục kèm theo)."
    )
    if not period["exact"] and not period.get("legal"):
        text += (
            f" Các chỉ tiêu được tổng hợp theo năm, 6 tháng, 9 tháng và quý; kỳ báo cáo từ ngày "
            f"{W.date(period['start'])} đến ngày {W.date(period['end'])} được tính theo kỳ chỉ tiêu "
            f"{period['reach_label']} (từ ngày {W.date(period['reach_start'])} đến ngày "
            f"{as_of})."
        )
    return text


def pace_phrase(row: dict) -> str:
    """“theo nhịp thực hiện từ ngày 01/01/2026 đến ngày 14/06/2026”: the pace a projection assumes."""
    if not row.get("pace_start") or not row.get("pace_end"):
        return "theo nhịp thực hiện đến nay"
    return f"theo nhịp thực hiện từ ngày {W.date(row['pace_start'])} đến ngày {W.date(row['pace_end'])}"


def estimate_lines(data: dict) -> list[str]:
    """The “ước thực hiện” lines: always called an estimate, with the pace it assumes."""
    lines = []
    for e in data.get("estimates") or []:
        lines.append(
            f"- Ước thực hiện đến ngày {W.date(e['until'])} (ước tính, giả định giữ nhịp bình quân từ ngày "
            f"{W.date(e['start'])} đến ngày {W.date(e['end'])}, chỉ tính từ số liệu đến ngày chốt): "
            f"{W.lower_first(e['name'])} ước đạt {W.percent(e['estimate'])}"
            + (f" (mục tiêu {W.percent(e['target'])})" if e.get("target") is not None else "")
            + "."
        )
    return lines


def _main_rows(data: dict) -> list[dict]:
    return [r for r in data["indicators"] if not r.get("companion_of")]


def _indicators(data: dict) -> str:
    rows = [r for r in _main_rows(data) if r.get("target") is not None]
    counts = defaultdict(int)
    for r in rows:
        counts[r["status"]] += 1
    lines = []
    parts = []
    for status in (
        IndicatorStatus.ACHIEVED,
        IndicatorStatus.ON_TRACK,
        IndicatorStatus.IN_PROGRESS,
        IndicatorStatus.BEHIND,
        IndicatorStatus.NO_DATA,
    ):
        if counts[status]:
            parts.append(f"{counts[status]} chỉ tiêu {W.INDICATOR_STATUS[status].lower()}")
    if rows:
        lines.append(
            f"Trong {len(rows)} chỉ tiêu có mục tiêu áp dụng cho {data['period']['reach_label']}: "
            + W.join(parts)
            + "."
        )
    for r in rows:
        name = W.indicator_name(r)
        if r["status"] == IndicatorStatus.ACHIEVED:
            lines.append(
                f"- {name}: đạt {W.percent(r['value'])}, hoàn thành mục tiêu {W.percent(r['target'])}"
                f" (năm {r['target_year']})."
            )
        elif r["value"] is None:
            lines.append(
                f"- {name}: chưa có số liệu trong kỳ; mục tiêu {W.percent(r['target'])} (năm {r['target_year']})."
            )
        else:
            text = (
                f"- {name}: đạt {W.percent(r['value'])} so với mục tiêu {W.percent(r['target'])} "
                f"(năm {r['target_year']}), còn thiếu {W.number(r['gap'])} điểm phần trăm"
            )
            if r.get("projection") is not None:
                text += f"; {pace_phrase(r)}, dự kiến đạt {W.percent(r['projection'])} vào năm {r['target_year']}"
            lines.append(text + ".")
    for r in data["indicators"]:
        if r["code"] == "survey_reached" and r.get("value") is not None:
            interval = (r.get("detail") or {}).get("interval") or {}
            text = f"- Kết quả khảo sát hộ gia đình: ước tính {W.percent(r['value'])} người dân được tiếp cận thông tin"
            if interval:
                text += f" (khoảng tin cậy 95%: {W.percent(interval.get('low'))} – {W.percent(interval.get('high'))}"
                if interval.get("asked"):
                    text += (
                        f"; hỏi {W.number(interval['asked'])} hộ, cỡ mẫu hiệu dụng "
                        f"{W.number(interval.get('effective_n'), 0)} hộ"
                    )
                text += ")"
            lines.append(text + ".")
    lines += estimate_lines(data)
    return "\n".join(lines)


def _budget(data: dict) -> str:
    budget = data["budget"]
    if not budget["lines"]:
        return (
            f"Chưa có dự toán kinh phí riêng cho Kế hoạch năm {budget['year']} được cập nhật trên hệ thống. "
            + to_write(
                "nguồn kinh phí đã dùng để thực hiện Kế hoạch trong kỳ (lồng ghép chi thường xuyên, chương trình…)"
            )
        )
    text = (
        f"Tổng dự toán kinh phí thực hiện Kế hoạch năm {budget['year']} đã được cập nhật: "
        f"{W.money(budget['estimate'])} đồng ({len(budget['lines'])} nội dung)"
    )
    if budget["spent_lines"]:
        share = 100.0 * float(budget["spent"]) / float(budget["estimate"]) if float(budget["estimate"]) else None
        text += (
            f"; kinh phí đã thực hiện đến ngày {W.date(data['as_of'])}: {W.money(budget['spent'])} đồng"
            + (f", đạt {W.percent(share)} dự toán" if share is not None else "")
            + f" (số liệu thực hiện được cập nhật cho {budget['spent_lines']}/{len(budget['lines'])} nội dung)"
        )
    else:
        text += "; chưa có số liệu kinh phí đã thực hiện được cập nhật"
    return text + ". Chi tiết như bảng dưới đây."


def _obstacles(data: dict) -> str:
    lines = []
    for o in data["obstacles"]:
        text = f"- {W.strip_end(o['title'])}: {W.strip_end(o['description'])}"
        who = o["unit"] + (f", nhiệm vụ {o['task']}" if o["task"] else "")
        text += f" ({who}; {W.OBSTACLE_STATUS.get(o['status'], o['status'])})"
        if o["answer"]:
            text += f". Ý kiến chỉ đạo: {W.strip_end(o['answer'])}"
        lines.append(text + ".")
    for task in data["late_tasks"]:
        text = f"- Nhiệm vụ {task['code']} ({_short(task['title'])}) chậm tiến độ"
        if task["last_activity"]:
            text += f": chưa có hoạt động mới kể từ ngày {W.date(task['last_activity'])}"
        else:
            text += ": chưa ghi nhận hoạt động nào"
        lines.append(text + ".")
    behind = [r for r in _main_rows(data) if r["status"] == IndicatorStatus.BEHIND]
    if behind:
        lines.append(
            "- Một số chỉ tiêu chưa bảo đảm tiến độ: "
            + "; ".join(
                f"{W.lower_first(W.indicator_name(r))} (đạt {W.percent(r['value'])}, mục tiêu {W.percent(r['target'])})"
                for r in behind
            )
            + "."
        )
    if not lines:
        lines.append(
            "Trên hệ thống không có khó khăn, vướng mắc nào được phản ánh, không có nhiệm vụ chậm tiến độ và "
            "không có chỉ tiêu chưa bảo đảm tiến độ. "
            + to_write("hạn chế khác của kỳ báo cáo, nếu có; nếu không, xoá dòng này")
        )
    return "\n".join(lines)


def _highlights(data: dict) -> str:
    """Outstanding results, only where the records show them; otherwise left for the commune."""
    lines = []
    for r in _main_rows(data):
        if r.get("target") is None or r["value"] is None:
            continue
        if r["status"] == IndicatorStatus.ACHIEVED:
            lines.append(
                f"- {W.indicator_name(r)} đạt {W.percent(r['value'])}, hoàn thành mục tiêu "
                f"{W.percent(r['target'])} năm {r['target_year']}."
            )
        elif r["status"] == IndicatorStatus.ON_TRACK:
            lines.append(
                f"- {W.indicator_name(r)} đạt {W.percent(r['value'])}, bảo đảm tiến độ mục tiêu "
                f"{W.percent(r['target'])} năm {r['target_year']}."
            )
    acts = data["activities"]
    done = [t for g in acts["groups"] for t in g["tasks"] if t["status"] == "done"]
    if done:
        lines.append(f"- {len(done)} nhiệm vụ của Kế hoạch đã hoàn thành: " + ", ".join(t["code"] for t in done) + ".")
    if acts["by_channel"]:
        top = max(acts["by_channel"], key=lambda c: (c["people"], c["n"]))
        if top["people"]:
            lines.append(
                "- Kênh có nhiều lượt người tham dự, được tiếp cận nhất: "
                + W.channel_phrase(top["channel"], top["n"], top["people"])
                + "."
            )
    if not lines:
        return to_write("kết quả nổi bật của kỳ báo cáo (hệ thống chưa có số liệu cho thấy kết quả nổi bật)")
    return "\n".join(lines)


def _causes(data: dict) -> str:
    """Causes are a judgement the records cannot make: the draft lists what to explain and leaves it to the commune."""
    facts = []
    if data["late_tasks"]:
        facts.append(f"{len(data['late_tasks'])} nhiệm vụ chậm tiến độ")
    behind = [r for r in _main_rows(data) if r["status"] == IndicatorStatus.BEHIND]
    if behind:
        facts.append(f"{len(behind)} chỉ tiêu chưa bảo đảm tiến độ")
    if data["obstacles"]:
        facts.append(f"{len(data['obstacles'])} khó khăn, vướng mắc được phản ánh")
    hint = " (cần giải thích: " + "; ".join(facts) + ")" if facts else ""
    return "\n".join(
        [
            "a) Nguyên nhân khách quan: " + to_write("nguyên nhân khách quan của các hạn chế" + hint),
            "b) Nguyên nhân chủ quan: " + to_write("nguyên nhân chủ quan của các hạn chế"),
        ]
    )


def _lessons(data: dict) -> str:
    return to_write("bài học kinh nghiệm rút ra trong kỳ")


def first_sentence(text: str) -> str:
    """A task's title is often a paragraph: its first sentence names it."""
    text = (text or "").strip()
    for match in re.finditer(r"(?<=[^\d\s])\.\s+(?=\w)", text):
        if text[match.end()].isupper():
            return W.strip_end(text[: match.start()])
    return W.strip_end(text)


def _short(title: str, words: int = 12) -> str:
    parts = W.strip_end(title).split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _directions(data: dict) -> str:
    period = data["period"]
    lines = [
        f"Trong {period['next_label']}, tiếp tục triển khai đồng bộ, hiệu quả các nhiệm vụ, giải pháp của Kế "
        f"hoạch, trọng tâm là:"
    ]
    if data["late_tasks"]:
        codes = ", ".join(t["code"] for t in data["late_tasks"])
        lines.append(
            f"- Tập trung thực hiện các nhiệm vụ đang chậm tiến độ ({codes}); các đơn vị chủ trì cập nhật kết "
            f"quả thực hiện kịp thời."
        )
    for r in _main_rows(data):
        if r.get("target") is None or r["status"] == IndicatorStatus.ACHIEVED:
            continue
        value = "chưa có số liệu" if r["value"] is None else f"hiện đạt {W.percent(r['value'])}"
        lines.append(
            f"- Phấn đấu hoàn thành chỉ tiêu {W.lower_first(W.indicator_name(r))} ({value}, mục tiêu "
            f"{W.percent(r['target'])} năm {r['target_year']})."
        )
    for r in _main_rows(data):
        nxt = r.get("next_target")
        if r["status"] == IndicatorStatus.ACHIEVED and nxt:
            lines.append(
                f"- Duy trì kết quả chỉ tiêu {W.lower_first(W.indicator_name(r))}, hướng tới mục tiêu "
                f"{W.percent(nxt['target'])} năm {nxt['year']}."
            )
    days = [e for e in data["upcoming"] if e["kind"] == "national_day"]
    if days:
        lines.append("- Tổ chức các hoạt động hưởng ứng " + W.join([e["title"] for e in days]) + ".")
    deadlines = [e for e in data["upcoming"] if e["kind"] == "report_deadline"]
    if deadlines:
        day = dt.date.fromisoformat(deadlines[0]["date"])
        which = "6 tháng đầu năm" if day.month == 6 else "năm"
        lines.append(
            f"- Tổng hợp, gửi báo cáo kết quả thực hiện {which} {day.year} đúng thời hạn (trước ngày {W.date(day)})."
        )
    lines.append(
        "- Tiếp tục duy trì chuyên mục, hệ thống truyền thanh cơ sở và hoạt động của Tổ công nghệ số cộng đồng; "
        "cập nhật đầy đủ kết quả, minh chứng thực hiện trên hệ thống."
    )
    return "\n".join(lines)


def _proposals(data: dict) -> str:
    commune = data["commune"]
    lines = []
    proposals = [o for o in data["obstacles"] if (o["proposal"] or "").strip()]
    if proposals:
        lines.append(
            f"Đề nghị Bộ Khoa học và Công nghệ, Ủy ban nhân dân {commune['province_type'].lower()} "
            f"{commune['province']} quan tâm, xem xét:"
        )
        for o in proposals:
            lines.append(f"- {W.upper_first(W.strip_end(o['proposal']))} ({o['unit']}).")
    trained = next((r for r in _main_rows(data) if r["code"] == "comms_staff_trained"), None)
    if (
        trained
        and trained.get("target") is not None
        and trained["status"] in (IndicatorStatus.BEHIND, IndicatorStatus.NO_DATA, IndicatorStatus.IN_PROGRESS)
    ):
        if not lines:
            lines.append(
                f"Đề nghị Bộ Khoa học và Công nghệ, Ủy ban nhân dân {commune['province_type'].lower()} "
                f"{commune['province']} quan tâm, xem xét:"
            )
        lines.append(
            "- Tổ chức các lớp đào tạo chuyên sâu về kỹ năng truyền thông số và nội dung khoa học, công nghệ "
            "cho cán bộ, công chức phụ trách truyền thông cấp xã."
        )
    if not lines:
        lines.append("Không có.")
    return "\n".join(lines)


def _closing(data: dict) -> str:
    commune = data["commune"]
    return (
        f"Trên đây là báo cáo kết quả thực hiện {_plan_title_phrase(data['plan'])} {data['period']['label']} "
        f"của UBND {commune['division_type'].lower()} {commune['short_name']}./."
    )


def compose(data: dict) -> dict[str, str]:
    """The text of every editable section, written from the snapshot."""
    return {
        "direction": _direction(data),
        "results": _results(data),
        "partners": partner_reporting.partners_text(data["partners"]) if data.get("partners") else "",
        "external": partner_reporting.external_text(data["partners"]) if data.get("partners") else "",
        "indicators": _indicators(data),
        "budget": _budget(data),
        "highlights": _highlights(data),
        "obstacles": _obstacles(data),
        "causes": _causes(data),
        "lessons": _lessons(data),
        "directions": _directions(data),
        "proposals": _proposals(data),
        "closing": _closing(data),
    }
