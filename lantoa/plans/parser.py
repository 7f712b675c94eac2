"""Parser for Vietnamese administrative plans (Kế hoạch).

Reads a plan such as the seed plan of xã Nam Cường (.txt, .docx or .pdf) into a plain,
JSON-serialisable dict, a :class:`ParsedPlan`::

    {"number", "place", "date", "title", "basis", "targets", "groups", "duties",
     "recipients", "signer", "events", "unplaced", "warnings"}

The TypedDicts below (``ParsedPlan`` and the ``Parsed…`` of its parts) say what each key holds; the
draft keeps this dict as it is (``Plan.parsed``) until the user confirms it.

The module is pure Python: it does not import Django at module level and runs
without settings (messages are translated with Django's gettext only when Django is
configured, see :mod:`lantoa.plans.parser_errors`).

How a plan is read (rules are general, not tuned to one file):

* Lines are cleaned (NFC, markdown emphasis removed, blank and decorative lines
  dropped). A line that ends without terminal punctuation and is followed by one
  starting with a lower-case letter is one paragraph split by a page break: the two
  are joined with a space.
* Before "KẾ HOẠCH": "Số: …" gives ``number``; "<Place>, ngày … tháng … năm …" gives
  ``place`` and ``date`` (``null`` while the day is left blank). The lines after
  "KẾ HOẠCH" are the ``title`` until the basis paragraph ("Thực hiện …", "Căn cứ …"),
  which runs until the first section.
* Sections are roman-numbered ("I.", "II -", "PHẦN III") and recognised by their
  heading, ignoring case and accents: MỤC ĐÍCH, YÊU CẦU / MỤC TIÊU / GIẢI PHÁP,
  NHIỆM VỤ, NỘI DUNG / KINH PHÍ / TỔ CHỨC THỰC HIỆN (and CHẾ ĐỘ BÁO CÁO). Any other
  heading is reported in ``warnings``.
* MỤC TIÊU: under "Mục tiêu cụ thể", year headers ("a) Năm 2026", "Đến năm 2030",
  "Giai đoạn 2026-2030" → 2030) introduce targets; each bullet or paragraph is a
  target whose ``value`` is its first percentage, else a count ("ít nhất 30 hộ": 30, unit "hộ").
* GIẢI PHÁP: "1. …" is a group, "1.1. …" / "1.1 …" a task, "a) …" a task when the
  group has no numbered tasks. A group with labels but no sub-task yields one task
  coded like the group, titled by its first body paragraph. Labels ("Đơn vị thực
  hiện/chủ trì", "Cơ quan chủ trì", "Đơn vị/Cơ quan phối hợp", "Thời gian (thực
  hiện/hoàn thành)", "Tiến độ", "Thời hạn") may stand on their own lines, share a
  paragraph, or follow the task title in parentheses. Units are split with
  :func:`~lantoa.plans.parser_text.split_units`; deadlines come from
  :func:`~lantoa.plans.parser_text.period_to_deadline`. Task tables (DOCX) give
  groups and tasks too, wherever they are (body or appendix).
* TỔ CHỨC THỰC HIỆN: "1. <Unit>" (without "Đề nghị", "Giao" …) opens a duty block,
  its bullets/paragraphs are the items. "Trên đây là Kế hoạch …" closes the body.
* "Nơi nhận:" bullets are the ``recipients``; the upper-case lines after them are
  the signer's title ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH") and the last line the name.

* Tables: a task table (DOCX, or tab-separated rows of a text file) gives tasks; a row without
  a number continues the task above it. A target table ("Chỉ tiêu" | "Đơn vị tính" | "Mục tiêu",
  or one column per year) gives targets, a row holding only "Đến năm 2030" dates the rows below.
  A two- or three-column layout table (header, recipients beside the signature) is read column by column.
* After the signature, "Phụ lục", "DANH MỤC …" or "(Kèm theo …)" open an appendix; its rows
  repeating a narrative task fill that task in, rows under a heading naming a narrative item get
  ``detail_of`` (see :meth:`_PlanParser.link_appendix`). A "QUYẾT ĐỊNH"/"NGHỊ QUYẾT" issuing a
  programme gives number, basis, recipients and signer; the programme after it the title and body.
* Targets without any year in their section are the plan's own (``year`` None); "a; b" with a
  percentage in each is two targets; a dated citation names no target year.
* "báo cáo … trước ngày 15/6 hằng năm" (any section) is an ``events`` entry.

Text inside structured sections that cannot be placed is never dropped silently: it
is reported in ``warnings`` (Vietnamese, user-facing) and the line is kept in ``unplaced``.

Output conventions:

* Task codes are unique within a plan: codes written hierarchically ("1.1") are kept;
  a letter or plain number under a group gets the group code in front ("1.a", "I.2");
  tasks of a table without group rows keep their own codes. An unnumbered task found
  after numbered ones gets a provisional code (with a warning).
* A task's ``title`` is its heading text; further paragraphs before its labels (a
  sub-list "1) …, 2) …") are appended with "\\n". Paragraphs between a group heading
  and its first numbered task are appended to the group ``title`` the same way.
* ``timing`` is the label text without its final "."; ``deadline`` is the last day it
  allows (``null`` for recurring timings), a year-less period uses the plan's year.
* ``signer`` also has ``on_behalf``: the title lines above the last one
  ("KT. CHỦ TỊCH", or "TM. ỦY BAN NHÂN DÂN\\nKT. CHỦ TỊCH"), ``null`` when none.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from lantoa.tenancy.text import roman_to_int

from .parser_errors import NoTextLayer, PlanParseError, _
from .parser_readers import (
    Block,
    TableBlock,
    read_doc,
    read_docx,
    read_odt,
    read_pdf,
    read_txt,
    text_to_blocks,
    text_to_stream,
)
from .parser_tables import (
    TargetTable,
    TaskTable,
    detect_target_table,
    detect_task_table,
    is_layout_table,
    layout_lines,
    target_value,
)
from .parser_text import (
    fold,
    looks_like_unit,
    nfc,
    normalize_unit_name,
    parse_percentage,
    period_to_deadline,
    split_units,
    unit_key,
)

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "ParsedDuty",
    "ParsedGroup",
    "ParsedPlan",
    "ParsedSigner",
    "ParsedTarget",
    "ParsedTask",
    "PlanParseError",
    "clean_paragraphs",
    "normalize_unit_name",
    "parse_plan_file",
    "parse_plan_text",
    "period_to_deadline",
    "split_units",
    "unit_key",
]

SUPPORTED_EXTENSIONS = (".txt", ".docx", ".doc", ".odt", ".pdf", ".jpg", ".jpeg", ".png")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
# Roman section and group numbers are read up to XXXIX: "XL" or "LX" in a code column is no group number.
ROMAN_LARGEST = 39

_READERS = {".txt": read_txt, ".docx": read_docx, ".doc": read_doc, ".odt": read_odt, ".pdf": read_pdf}


# ------------------------------------------------------------------------ output


class ParsedTarget(TypedDict):
    """A target of MỤC TIÊU: its text, the year it is due (None: the plan's whole duration) and its figure."""

    year: int | None
    text: str
    value: float | None
    unit: str | None  # "%" when ``value`` is a percentage, else what is counted ("hộ", "tin, bài") or None


class ParsedTask(TypedDict):
    """A task of GIẢI PHÁP (or of a task table)."""

    code: str  # unique within the plan ("1.1", "1.a", "I.2")
    title: str  # its heading, further paragraphs after "\n"
    lead_units: list[str]  # normalised unit names, as written
    cooperating_units: list[str]
    timing: str  # the label's text, without its final "."
    deadline: str | None  # ISO date: the last day ``timing`` allows; None for recurring timings
    detail_of: str | None  # an appendix row detailing a narrative task: that task's code


class ParsedGroup(TypedDict):
    """A group of solutions ("1. …") and its tasks."""

    code: str
    title: str
    tasks: list[ParsedTask]


class ParsedDuty(TypedDict):
    """A unit's block under TỔ CHỨC THỰC HIỆN and what it must do."""

    unit: str
    items: list[str]


class ParsedSigner(TypedDict):
    """The signature block."""

    name: str | None
    title: str | None  # the last title line ("PHÓ CHỦ TỊCH")
    on_behalf: str | None  # the title lines above it ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH")


class ParsedEvent(TypedDict):
    """A reporting duty with its own date ("báo cáo … trước ngày 15/6 hằng năm"): a calendar event."""

    text: str  # the sentence naming it
    day: int
    month: int
    year: int | None  # None when it recurs every year
    recurrence: str | None  # "yearly" or None


class ParsedOcrLine(TypedDict):
    """A line of a scanned page as OCR read it."""

    page: int
    text: str
    confidence: float  # Tesseract's, 0–100: below 70 the line deserves a look


class ParsedOcr(TypedDict):
    """How a scanned document was read (only in the output of a scan)."""

    pages: int
    confidence: float  # the mean of its lines'
    lines: list[ParsedOcrLine]


class ParsedPlan(TypedDict):
    """Everything read from a plan document; what could not be placed is in ``warnings`` (Vietnamese)."""

    number: str | None  # "15/KH-UBND"
    place: str | None
    date: str | None  # ISO date of issue; None while the day is left blank
    title: str
    basis: str | None
    targets: list[ParsedTarget]
    groups: list[ParsedGroup]
    duties: list[ParsedDuty]
    recipients: list[str]
    signer: ParsedSigner
    events: list[ParsedEvent]  # reporting duties with their own dates
    unplaced: list[str]  # lines the parser could not place (shown by the import preview)
    warnings: list[str]


class ParsedScan(ParsedPlan, total=False):
    """The output for a scan or a photo, read by OCR: a ParsedPlan with how the OCR went."""

    ocr: ParsedOcr


# --------------------------------------------------------------------- public API


def parse_plan_file(path: str | Path) -> ParsedPlan:
    """Parse a plan file (see :data:`SUPPORTED_EXTENSIONS`); raise :class:`PlanParseError` if unreadable.

    A PDF without a text layer and a photo are read by OCR (:mod:`lantoa.plans.parser_ocr`); their lines and
    confidence are then in the output's ``ocr``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise PlanParseError(_("Unsupported file format (only .txt, .docx, .doc, .odt, .pdf, .jpg, .png)"))
    if not path.is_file():
        raise PlanParseError(
            _("The file cannot be read: %(error)s") % {"error": _("file %(name)s not found") % {"name": path.name}}
        )
    if suffix in IMAGE_EXTENSIONS:
        return _parse_scan(path, pdf=False)
    try:
        blocks = _READERS[suffix](path)
    except NoTextLayer:
        return _parse_scan(path, pdf=True)
    return _parse_blocks(blocks)


def _parse_scan(path: Path, *, pdf: bool) -> ParsedScan:
    from .parser_ocr import read_scan  # noqa: PLC0415 — only scans need the OCR pipeline

    paragraphs, lines = read_scan(path, pdf=pdf)
    plan: ParsedScan = _parse_blocks(list(paragraphs))
    plan["ocr"] = {
        "pages": max((line.page for line in lines), default=0),
        "confidence": round(sum(line.confidence for line in lines) / len(lines), 1) if lines else 0.0,
        "lines": [{"page": line.page, "text": line.text, "confidence": line.confidence} for line in lines],
    }
    return plan


def parse_plan_text(text: str) -> ParsedPlan:
    """Parse the plain text of a plan."""
    return _parse_blocks(text_to_stream(text))


def clean_paragraphs(text: str) -> list[str]:
    """The paragraphs the parser works on: cleaned, without blank lines, page breaks joined."""
    return _join_page_breaks(_clean_items(text_to_blocks(text)))


# ------------------------------------------------------------------ line cleaning

_TERMINAL = ".!?;:…"
_CLOSERS = "\"'”’»)]"
_LIST_MARKER = re.compile(r"^(?:[a-zđ]\s*[).]\s|[-+•*–]\s)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2})(?=\S)([^*\n]+?)(?<=\S)\1")


def _clean_line(line: str) -> str:
    line = nfc(line).replace("\t", " ").replace("\u00a0", " ")
    line = _EMPHASIS.sub(r"\2", line).replace("**", "")
    return " ".join(line.split())


def _is_decorative(line: str) -> bool:
    return not re.search(r"[^\W_]", line)


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _TERMINAL


def _starts_lowercase(line: str) -> bool:
    return bool(line) and line[0].isalpha() and line[0].islower() and not _LIST_MARKER.match(line)


def _join_page_breaks(items: list[str | TaskTable]) -> list[str | TaskTable]:
    """Join a paragraph cut by a page break with its lower-case continuation."""
    joined: list[str | TaskTable] = []
    for item in items:
        if (
            isinstance(item, str)
            and joined
            and isinstance(joined[-1], str)
            and not _ends_sentence(joined[-1])
            and _starts_lowercase(item)
        ):
            joined[-1] = f"{joined[-1]} {item}"
        else:
            joined.append(item)
    return joined


# ---------------------------------------------------------------------- patterns

_NUMBER_RE = re.compile(r"^số\s*:\s*(.*)$", re.IGNORECASE)
_DATE_WORDS_RE = re.compile(r"ngay\s*(\d{1,2})?[\s._…\-]*thang\s*(\d{1,2})?[\s._…\-]*nam\s*(\d{4})")
_DATE_NUMERIC_RE = re.compile(r"ngay\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_PLACE_RE = re.compile(r"((?:[^\W\d_]+\s+){0,4}[^\W\d_]+)\s*$")
_SECTION_RE = re.compile(r"^(?:PHẦN\s+)?([IVX]{1,6})\s*[.\-–—:)]\s*(\S.*)?$")
_PART_ONLY_RE = re.compile(r"^PHẦN\s+(?:THỨ\s+\S+|[IVX]{1,6})\s*$", re.IGNORECASE)
_BASIS_START = re.compile(
    r"^(?:thuc hien|can cu|thi hanh|de trien khai|de thuc hien|nham|tren co so|"
    r"uy ban nhan dan (?:xa|phuong|thi tran)|ubnd (?:xa|phuong|thi tran))\b"
)
_CLOSING_RE = re.compile(r"^(?:tren day la|trong qua trinh (?:trien khai |to chuc )?thuc hien)")
_RECIPIENTS_RE = re.compile(r"^noi nhan\s*:?\s*(.*)$")
_SIGNER_START_RE = re.compile(r"^(?:(?:tm|kt|tl|tuq|q)\s*\.\s*\S|(?:pho )?chu tich\b)")
_SIGNER_NOTE_RE = re.compile(r"^[(\[].*(?:ky|dau|chu ky).*[)\]]\.?$")
_TITLE_WORDS_RE = re.compile(r"(?:chu tich|giam doc|truong|bi thu|uy ban|ubnd|\b(?:tm|kt|tl|tuq)\s*\.)")
_APPENDIX_RE = re.compile(r"^phu luc\b")
# After the signature, these open an appendix too ("DANH MỤC NHIỆM VỤ", "(Kèm theo Kế hoạch số …)").
_APPENDIX_AFTER_SIGNATURE_RE = re.compile(r"^(?:phu luc\b|danh muc\b|\(?\s*(?:ban hanh )?kem theo\b)")
# The heading of the document a decision or resolution issues ("CHƯƠNG TRÌNH HÀNH ĐỘNG", "KẾ HOẠCH").
_ISSUED_HEADING_RE = re.compile(r"^(?:ke hoach|chuong trinh(?: hanh dong)?|de an)$")
# The heading of an issuing document: the programme it issues comes after its signature.
_ISSUING_HEADING_RE = re.compile(r"^(?:quyet dinh|nghi quyet)$")
_ARTICLES_RE = re.compile(r"^(?:quyet dinh|quyet nghi|nghi quyet)\s*:$|^dieu\s+\d+\s*[.:]")

_TASK_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{1,2}))?\.?\s*[.)]?\s+(\S.*)$")
_GROUP_RE = re.compile(r"^(\d{1,2})\s*([.)])\s*(?!\d)(\S.*)$")
_LETTER_RE = re.compile(r"^([a-zđ])\s*[).]\s+(\S.*)$")
_BULLET_RE = re.compile(r"^[-+•*–]\s*")
_MARKER_RE = re.compile(r"^(?:[a-zđ]\s*[).]|\d{1,2}(?:\.\d{1,2})*\s*[.)]|\d{1,2}(?:\.\d{1,2})+|[-+•*–])\s*")

# Task labels, matched on folded text: (kind, pattern, short form).
_ORGAN = r"(?:don vi|co quan|bo phan)\s+"
_LABEL_PATTERNS = [
    ("lead", _ORGAN + r"(?:chu tri|thuc hien chinh|thuc hien|chiu trach nhiem|tham muu)(?:\s+thuc hien)?", False),
    ("cooperating", _ORGAN + r"phoi hop(?:\s+thuc hien)?", False),
    (
        "timing",
        (
            r"thoi gian(?:\s+(?:thuc hien|hoan thanh|trien khai))?"
            r"|tien do(?:\s+(?:thuc hien|hoan thanh))?|thoi han(?:\s+hoan thanh)?"
        ),
        False,
    ),
    ("lead", r"chu tri(?:\s+thuc hien)?", True),
    ("cooperating", r"phoi hop(?:\s+thuc hien)?", True),
]
_LABEL_RE = re.compile(
    "|".join(f"(?P<l{index}>{pattern})" for index, (_kind, pattern, _short) in enumerate(_LABEL_PATTERNS))
)
_UNKNOWN_LABEL_RE = re.compile(r"^([^\W\d_][^:;,.()]{0,40}?)\s*:\s*(.*)$")
# Sentence openers ending with a colon that are not labels.
_NOT_A_LABEL = {"trong do", "cu the", "bao gom", "gom", "nhu sau", "vi du", "chang han", "dong thoi", "ngoai ra"}

# A report due on a day of its own: "báo cáo … trước ngày 15/6 hằng năm", "chậm nhất ngày 10/12/2026".
_REPORT_DUE_RE = re.compile(
    r"(?:truoc|cham nhat(?: vao)?|truoc hoac vao)\s+(?:ngay\s+)?(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?(?![\d/])"
)
# Headings under TỔ CHỨC THỰC HIỆN that name no unit ("4. Chế độ thông tin, báo cáo").
_NOT_A_UNIT_RE = re.compile(r"^(?:che do|thong tin|bao cao|kinh phi|khen thuong|dieu khoan|hieu luc|to chuc thuc hien)")
# A duty heading names a body: one of these words stands somewhere in it ("Giám đốc các Sở", "Trưởng các thôn").
_BODY_WORD_RE = re.compile(
    r"\b(?:ubnd|hdnd|ubmttq|mttq|uy ban|phong|trung tam|ban|hoi|doan|cong an|truong|tram|van phong|so|co quan|"
    r"don vi|dang uy|bo|dai|thon|ban|to|khu pho|chu tich|giam doc|thu truong|lanh dao|cong chuc|can bo|"
    r"doanh nghiep|mat tran|xa|phuong|nganh|hop tac xa|quy|vien|bao(?! cao)|benh vien|chi nhanh|chi cuc|"
    r"buu dien|ngan hang|kho bac|thanh tra|doi|cac)\b"
)
_YEAR_HEADER_RE = re.compile(
    r"^(?:(?:phan dau\s+)?(?:den het|den cuoi|den|trong|vao|cuoi|tu)\s+)?(?:nam|giai doan)\s+"
    r"(\d{4})(?:\s*[-–—]\s*(?:nam\s+)?(\d{4}))?\s*(?:[:,.]\s*(.*))?$"
)
# A dated citation ("Nghị quyết … ngày 22 tháng 12 năm 2024", "ngày 16/6/2025") names no target year.
_CITATION_DATE_RE = re.compile(
    r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}|ngay\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
)
_YEAR_IN_TEXT_RE = re.compile(r"(?:nam|giai doan)\s+(?:\d{4}\s*[-–—]\s*)?(20\d{2})\b")


def _section_kind(title: str) -> str:
    key = fold(title)
    if re.search(r"to chuc thuc hien|phan cong|trach nhiem", key):
        return "organization"
    if "kinh phi" in key:
        return "budget"
    if re.search(r"giai phap|nhiem vu|noi dung", key):
        return "solutions"
    if re.search(r"muc tieu|chi tieu", key):
        return "objectives"
    if re.search(r"muc dich|yeu cau", key):
        return "purpose"
    if "bao cao" in key:
        return "reporting"
    return "unknown"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _strip_marker(line: str) -> str:
    return _MARKER_RE.sub("", line, count=1).strip()


def _capitalize(text: str) -> str:
    """Upper-case the first letter of a sentence cut out of a longer line."""
    return text[:1].upper() + text[1:]


def _is_upper_line(line: str) -> bool:
    letters = [char for char in line if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


# ------------------------------------------------------------------------ labels


@dataclass
class _Label:
    kind: str
    name: str
    value: str
    open: bool = False  # the value is empty or ends with "," ";" "và": it may go on below


def _find_labels(line: str) -> tuple[str, list[_Label]]:
    """Split a line into the text before its first label and its labels.

    A label counts only at the start of the line or after "(", ".", ";", ",", or a
    bullet; the short forms "Chủ trì:" / "Phối hợp:" not after a comma.
    """
    folded = fold(line)
    starts: list[tuple[int, int, str]] = []  # (label start, value start, kind)
    for match in _LABEL_RE.finditer(folded):
        index = int(match.lastgroup[1:])
        kind, _pattern, short = _LABEL_PATTERNS[index]
        rest = folded[match.end() :]
        colon = re.match(r"\s*:", rest)
        if not colon:
            continue
        before = folded[: match.start()].rstrip()
        allowed = "(.;-+•" if short else "(.;,-+•"
        if before and before[-1] not in allowed:
            continue
        starts.append((match.start(), match.end() + colon.end(), kind))
    if not starts:
        return line, []
    labels = []
    for position, (start, value_start, kind) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else len(line)
        raw = line[value_start:end].strip()
        value = re.sub(r"[\s(]+$", "", raw)
        if value.count(")") > value.count("("):
            value = value[: value.rfind(")")] + value[value.rfind(")") + 1 :]
        value = re.sub(r"[\s.;,]+$", "", value).strip()
        is_open = not value or bool(re.search(r"(?:[,;]|\bvà)$", raw))
        labels.append(_Label(kind, line[start:value_start].rstrip(" :"), value, is_open))
    prefix = line[: starts[0][0]]
    prefix = _BULLET_RE.sub("", prefix.strip()) if _BULLET_RE.match(prefix.strip()) else prefix
    prefix = re.sub(r"[\s(;,.]+$", "", prefix).strip()
    return prefix, labels


# -------------------------------------------------------------------- structures


@dataclass
class _Task:
    code: str
    title_lines: list[str]
    kind: str  # "numbered" (1.1), "lettered" (a), "implicit" (no number), "table"
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    timing: str = ""
    deadline: dt.date | None = None
    labelled: bool = False
    detail_of: str | None = None

    def as_dict(self) -> ParsedTask:
        return {
            "code": self.code,
            "title": "\n".join(line for line in self.title_lines if line).strip(),
            "lead_units": self.lead,
            "cooperating_units": self.cooperating,
            "timing": self.timing,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "detail_of": self.detail_of,
        }


@dataclass
class _Group:
    code: str
    title: str
    tasks: list[_Task] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    synthetic: bool = False

    @property
    def has_explicit_tasks(self) -> bool:
        return any(task.kind != "implicit" for task in self.tasks)

    @property
    def has_numbered_tasks(self) -> bool:
        return any(task.kind == "numbered" for task in self.tasks)

    def qualify(self, code: str) -> str:
        if self.synthetic or "." in code:
            return code
        return f"{self.code}.{code}"

    def as_dict(self) -> ParsedGroup:
        return {"code": self.code, "title": self.title, "tasks": [task.as_dict() for task in self.tasks]}


# ------------------------------------------------------------------------ parser


class _PlanParser:
    """One pass over the cleaned lines and task tables of a plan."""

    def __init__(self) -> None:
        self.number: str | None = None
        self.place: str | None = None
        self.date: dt.date | None = None
        self.plan_year: int | None = None
        self.title_lines: list[str] = []
        self.basis_lines: list[str] = []
        self.targets: list[ParsedTarget] = []
        self.groups: list[_Group] = []
        self.duties: list[ParsedDuty] = []
        self.recipients: list[str] = []
        self.signer_lines: list[str] = []
        self.warnings: list[str] = []
        self.events: list[ParsedEvent] = []
        self.unplaced: list[str] = []

        self.state = "preamble"
        self.narrative: list[_Group] = []  # the body's groups, once an appendix starts
        self.issuing = False  # the document is a decision or resolution issuing a programme after its signature
        self.issued = False  # the body belongs to the document issued by the decision read first
        self.section_kind: str | None = None
        self.section_title = ""
        self.awaiting_part_title = False
        # solutions
        self.group: _Group | None = None
        self.group_style = "."
        self.task: _Task | None = None
        # (task, label kind, value still empty) of a label whose value may go on below
        self.open_label: tuple[_Task, str, bool] | None = None
        # objectives
        self.target_mode = "auto"
        self.target_year: int | None = None
        self.target_year_label = ""
        self.target_year_count = 0
        self.years_in_section = False
        self.yearless: list[tuple[str | None, str]] = []  # (its warning, text) of targets read without a year
        # duties
        self.duty: ParsedDuty | None = None
        self.duty_from_letter = False
        self.duty_closed = False  # under a heading that names no unit
        self.duty_is_sub_unit = False  # the current duty was opened by "1.1. <unit>"

    # ------------------------------------------------------------------ helpers
    def warn(self, message: str, **params) -> None:
        """Record a warning once; ``message`` is already translated (``_()`` at the call)."""
        text = message % params if params else message
        if text not in self.warnings:
            self.warnings.append(text)

    # --------------------------------------------------------------- main loop
    def run(self, items: list[str | TaskTable]) -> ParsedPlan:
        for item in items:
            if isinstance(item, TaskTable):
                if self.state in ("closing", "recipients", "signer") and self.signer_lines:
                    self.start_appendix("")  # a task table after the signature, without a caption
                self.add_table(item)
            elif isinstance(item, TargetTable):
                self.add_target_table(item)
            else:
                self.feed(item)
        self.end_section()
        if self.state in ("preamble", "title") and not self.title_lines:
            self.warn(_('The heading "KẾ HOẠCH" was not found in the document.'))
        self.check_tasks()
        return self.result()

    def feed(self, line: str) -> None:
        key = fold(line)
        if self.awaiting_part_title:
            self.awaiting_part_title = False
            self.start_section(line)
            return
        if self.state not in ("recipients", "signer", "appendix") and self.try_section_heading(line):
            return
        if self.state not in ("preamble", "title", "basis") or (self.state == "title" and self.issued):
            recipients = _RECIPIENTS_RE.match(key)
            if recipients:
                self.end_section()
                self.state = "recipients"
                rest = line[len(line) - len(recipients.group(1)) :] if recipients.group(1) else ""
                if rest:
                    self.feed_recipient(rest)
                return
            if self.opens_appendix(line, key):
                caption = not _APPENDIX_RE.match(key) and not line.startswith("(")
                self.start_appendix(line.rstrip(" :.") if caption else "")
                return
            if self.state == "signer" and _is_upper_line(line) and _ISSUED_HEADING_RE.match(key):
                self.start_issued_document(line)
                return
            if self.state in ("body", "closing") and _is_upper_line(line) and _SIGNER_START_RE.match(key):
                self.end_section()
                self.state = "signer"
            elif self.state == "body" and _CLOSING_RE.match(key):
                self.end_section()
                self.state = "closing"
                return
        getattr(self, f"feed_{self.state}")(line)

    def start_appendix(self, caption: str) -> None:
        """An appendix: its task tables are tied to the body's groups (``narrative``), see :meth:`link_appendix`."""
        self.end_section()
        if self.state != "appendix":
            self.narrative = [group for group in self.groups if not group.synthetic]
        self.state = "appendix"
        self.section_title = caption

    def opens_appendix(self, line: str, key: str) -> bool:
        """ "PHỤ LỤC" opens an appendix; after the signature also "Phụ lục", "DANH MỤC …", "(Kèm theo …)"."""
        if _APPENDIX_RE.match(key) and _is_upper_line(line):
            return True
        if self.state not in ("signer", "recipients") or not self.signer_lines:
            return False
        return bool(_APPENDIX_AFTER_SIGNATURE_RE.match(key)) and (
            _is_upper_line(line) or key.startswith(("phu luc", "(", "kem theo"))
        )

    # ------------------------------------------------------ issuing documents
    def start_issued_document(self, line: str) -> None:
        """The programme or plan a decision/resolution issues starts after the decision's signature.

        The decision gave the number, date, basis, recipients and signer; the issued document gives
        the title and the body. An issuer line above the heading ("ỦY BAN NHÂN DÂN TỈNH …") is no signer line.
        """
        while len(self.signer_lines) > 1 and _is_upper_line(self.signer_lines[-1]):
            if any(not _is_upper_line(earlier) for earlier in self.signer_lines[:-1]):
                self.signer_lines.pop()
            else:
                break
        self.issued = True
        self.title_lines = []
        self.state = "title"

    def feed_articles(self, line: str) -> None:
        """The articles of an issuing decision ("Điều 1. Ban hành kèm theo …") are not imported."""

    # ---------------------------------------------------------------- preamble
    def feed_preamble(self, line: str) -> None:
        key = fold(line)
        number = _NUMBER_RE.match(line)
        if number and self.number is None:
            value = number.group(1)
            match = re.search(r"([\w.\-]*)\s*/\s*([\w.\-&]+)", value)
            self.number = f"{match.group(1)}/{match.group(2)}" if match else " ".join(value.split()) or None
            return
        if self.place is None and self.read_date(line):
            return
        if re.sub(r"[^a-z ]", "", key).strip() == "ke hoach" or (
            key.startswith("ke hoach") and _is_upper_line(line[:8])
        ):
            self.state = "title"
            rest = line[8:].strip(" :-–")
            if rest:
                self.title_lines.append(rest)
            return
        bare = re.sub(r"[^a-z ]", "", key).strip()
        if _is_upper_line(line) and (_ISSUING_HEADING_RE.match(bare) or _ISSUED_HEADING_RE.match(bare)):
            self.issuing = bool(_ISSUING_HEADING_RE.match(bare))
            self.state = "title"

    def read_date(self, line: str) -> bool:
        key = fold(line)
        match = _DATE_NUMERIC_RE.search(key) or _DATE_WORDS_RE.search(key)
        if not match or "," not in line[: match.start() + 1]:
            return False
        place = _PLACE_RE.search(line[: match.start()].rstrip(" ,"))
        self.place = place.group(1) if place else None
        day, month, year = match.groups()
        if year:
            self.plan_year = int(year)
        if day and month and year:
            try:
                self.date = dt.date(int(year), int(month), int(day))
            except ValueError:
                self.warn(_("Invalid issue date: %(text)s"), text=line)
        return True

    # ------------------------------------------------------------ title, basis
    def feed_title(self, line: str) -> None:
        key = fold(line)
        if self.issued and re.match(r"^\(?\s*(?:ban hanh )?kem theo\b", key):
            return  # "(Ban hành kèm theo Quyết định số …)"
        if (
            self.title_lines
            and _is_upper_line(line)
            and self.issuing
            and not self.issued
            and re.match(r"^(?:chu tich|uy ban|ubnd|chinh phu|thu tuong|bo truong|giam doc|hoi dong)", key)
        ):
            return  # the issuing authority's line ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …") before the basis
        if self.title_lines and _BASIS_START.match(key):
            self.state = "basis"
            self.basis_lines.append(line)
        else:
            self.title_lines.append(line)

    def feed_basis(self, line: str) -> None:
        if _ARTICLES_RE.match(fold(line)):
            self.state = "articles"
            return
        self.basis_lines.append(line)

    # ----------------------------------------------------------------- sections
    def try_section_heading(self, line: str) -> bool:
        if _PART_ONLY_RE.match(line):
            self.end_section()
            self.awaiting_part_title = True
            return True
        match = _SECTION_RE.match(line)
        if not match or roman_to_int(match.group(1), largest=ROMAN_LARGEST) is None or not match.group(2):
            return False
        title = match.group(2).strip()
        if not re.search(r"[^\W\d_]", title[:1]):
            return False
        self.start_section(title)
        return True

    def start_section(self, title: str) -> None:
        self.end_section()
        if self.state == "preamble":
            self.warn(_('The heading "KẾ HOẠCH" was not found in the document.'))
        elif self.state == "title" and not self.title_lines:
            self.warn(_('The plan has no subject line (title) after the word "KẾ HOẠCH".'))
        self.state = "body"
        self.section_title = title.rstrip(" :.")
        self.section_kind = _section_kind(title)
        if self.section_kind == "unknown":
            self.warn(_('Unrecognised section "%(title)s"; its content was not imported.'), title=_short(title))
        self.target_mode = "auto"
        self.target_year = None
        self.duty_closed = False
        self.group = None
        self.task = None
        self.open_label = None
        self.duty = None

    def end_section(self) -> None:
        if self.section_kind == "solutions":
            self.close_group()
        elif self.section_kind == "objectives":
            self.close_year()
            self.close_objectives()
        self.section_kind = None

    def feed_body(self, line: str) -> None:
        self.find_events(line)
        handler = {
            "objectives": self.feed_objectives,
            "solutions": self.feed_solutions,
            "organization": self.feed_organization,
        }.get(self.section_kind or "")
        if handler:
            handler(line)
        elif self.section_kind in ("unknown", "reporting"):
            self.unplace(line)

    def unplace(self, line: str) -> None:
        """Keep a line the parser could not place, for the import preview to show (a reporting date is placed)."""
        if any(event["text"] == _BULLET_RE.sub("", line).strip() for event in self.events):
            return
        if line not in self.unplaced:
            self.unplaced.append(line)

    def find_events(self, line: str) -> None:
        """A reporting duty with its own day ("báo cáo … trước ngày 15/6 hằng năm") is a calendar event."""
        key = fold(line)
        if "bao cao" not in key:
            return
        for match in _REPORT_DUE_RE.finditer(key):
            day, month = int(match.group(1)), int(match.group(2))
            year = int(match.group(3)) if match.group(3) else None
            yearly = year is None and bool(re.search(r"hang nam|moi nam|hang nam", key[match.end() : match.end() + 20]))
            if not yearly and year is None:
                year = self.default_year
            if not (1 <= month <= 12 and 1 <= day <= 31) or (not yearly and year is None):
                continue
            self.events.append(
                {
                    "text": _BULLET_RE.sub("", line).strip(),
                    "day": day,
                    "month": month,
                    "year": None if yearly else year,
                    "recurrence": "yearly" if yearly else None,
                }
            )

    # --------------------------------------------------------------- objectives
    def close_year(self) -> None:
        if self.target_year is not None and self.target_year_count == 0:
            self.warn(_('Objective "%(year)s" has no targets.'), year=self.target_year_label)
        self.target_year = None
        self.target_year_count = 0

    def feed_objectives(self, line: str) -> None:
        text = _strip_marker(line)
        key = fold(text)
        numbered = bool(re.match(r"^(?:\d{1,2}(?:\.\d{1,2})*\s*[.)]|[a-zđ]\s*[).])", line))
        year_header = _YEAR_HEADER_RE.match(key)
        if year_header:
            self.close_year()
            self.years_in_section = True
            self.target_mode = "specific"
            self.target_year = int(year_header.group(2) or year_header.group(1))
            label_end = year_header.start(3) if year_header.group(3) else len(text)
            self.target_year_label = text[:label_end].rstrip(" :,.")
            if year_header.group(3):
                self.add_target(_capitalize(text[year_header.start(3) :].strip()))
            return
        bare_heading = re.fullmatch(r"(?:cac )?(?:muc tieu|chi tieu)(?: chung| tong quat| cu the| chu yeu)?:?", key)
        if (numbered or bare_heading) and len(text.split()) <= 12 and not parse_percentage(text):
            self.close_year()
            if re.search(r"muc tieu chung|muc tieu tong quat", key):
                self.target_mode = "general"
            elif re.search(r"muc tieu|chi tieu", key):
                self.target_mode = "specific"
            else:
                self.target_mode = "other"
            return
        if self.target_mode in ("general", "other"):
            return
        if self.target_year is None:
            year_match = _YEAR_IN_TEXT_RE.search(_CITATION_DATE_RE.sub(" ", key))
            if year_match:
                self.years_in_section = True
                self.add_target(_capitalize(text), int(year_match.group(1)))
            elif self.target_mode == "specific" and not (text.endswith(":") and parse_percentage(text) is None):
                warning = _("Target whose year could not be determined: %(text)s") % {"text": _short(text)}
                self.warn(warning)
                self.yearless.append((warning, text))
            elif self.target_mode == "auto" and parse_percentage(text) is not None:
                self.yearless.append((None, text))
            return
        self.add_target(text)

    def add_target_table(self, found: TargetTable) -> None:
        """Targets from a table; a row holding only a year ("Đến năm 2030") dates the rows below it."""
        year: int | None = None
        for index in range(found.data_start, len(found.table.rows)):
            row = found.table.rows[index]
            filled = [cell for cell in row if cell.strip()]
            if not filled or all(re.fullmatch(r"\(?\d{1,2}\)?", cell.strip()) for cell in filled):
                continue
            if found.table.merged[index] or len(set(filled)) == 1:
                heading = _YEAR_IN_TEXT_RE.search(fold(filled[0])) or re.search(r"\b(20\d\d)\b", filled[0])
                if heading:
                    year = int(heading.group(1))
                    self.years_in_section = True
                continue
            text = " ".join(row[found.indicator].split()).rstrip(" ;")
            unit_text = row[found.unit].strip() if found.unit is not None else ""
            cells = {found.value: year} if found.value is not None else {}
            cells.update(found.years)
            for column, column_year in cells.items():
                value, percent = target_value(row[column]) if column < len(row) else (None, False)
                unit = "%" if percent or unit_text == "%" else (unit_text or None)
                self.targets.append(
                    {"year": column_year, "text": text, "value": value, "unit": unit if value is not None else None}
                )

    def close_objectives(self) -> None:
        """Targets without a year are the plan's own for its whole duration when the section names no year."""
        if not self.years_in_section:
            for warning, text in self.yearless:
                if warning in self.warnings:
                    self.warnings.remove(warning)
                self.add_target(_capitalize(text), whole_period=True)
        self.yearless = []
        self.years_in_section = False

    def add_target(self, text: str, year: int | None = None, whole_period: bool = False) -> None:
        for piece in _split_targets(text):
            value, unit = _target_figure(piece)
            self.targets.append(
                {
                    "year": None if whole_period else (year or self.target_year),
                    "text": piece,
                    "value": value,
                    "unit": unit,
                }
            )
            if year is None:
                self.target_year_count += 1

    # ---------------------------------------------------------------- solutions
    def new_group(self, code: str, title: str, style: str) -> _Group:
        self.close_group()
        if any(g.code == code for g in self.groups):
            self.warn(_("Duplicate solution group code %(code)s."), code=code)
        group = _Group(code=code, title=title)
        self.groups.append(group)
        self.group = group
        self.group_style = style
        self.task = None
        self.open_label = None
        return group

    def close_group(self) -> None:
        group = self.group
        if group is None:
            return
        self.flush_pending(closing=True)
        if not group.tasks:
            self.warn(_("Solution group %(code)s has no tasks."), code=group.code)
        self.group = None
        self.task = None
        self.open_label = None

    def flush_pending(self, closing: bool) -> None:
        """Place body paragraphs that wait for labels (see :meth:`apply_labels`)."""
        group = self.group
        if group is None or not group.pending:
            return
        pending, group.pending = group.pending, []
        if not group.tasks:
            if closing:
                self.implicit_task(pending)
            else:  # introduction of a group whose numbered tasks follow
                group.title = "\n".join([group.title, *pending]).strip()
            return
        for paragraph in pending:
            self.unplace(paragraph)
            self.warn(
                _("Paragraph could not be attached to any task (group %(code)s): %(text)s"),
                code=group.code,
                text=_short(paragraph),
            )

    def implicit_task(self, title_lines: list[str]) -> _Task:
        """A task written without its own number, directly under a group."""
        group = self.group
        assert group is not None
        if not group.tasks:
            code = group.code
        else:
            if len(group.tasks) == 1 and group.tasks[0].code == group.code:
                group.tasks[0].code = f"{group.code}.1"
            code = f"{group.code}.{len(group.tasks) + 1}"
            if group.has_explicit_tasks:
                self.warn(
                    _("Unnumbered task in group %(group)s was given the temporary code %(code)s: %(text)s"),
                    group=group.code,
                    code=code,
                    text=_short(" ".join(title_lines)),
                )
        task = _Task(code=code, title_lines=list(title_lines), kind="implicit")
        group.tasks.append(task)
        self.task = task
        return task

    def new_task(self, code: str, title: str, kind: str) -> None:
        if self.group is None:
            self.warn(_("Task %(code)s does not belong to any solution group."), code=code)
            self.new_group(code.split(".")[0], "", style=".")
        self.flush_pending(closing=False)
        task = _Task(code=self.group.qualify(code), title_lines=[], kind=kind)
        self.group.tasks.append(task)
        self.task = task
        self.open_label = None
        prefix, labels = _find_labels(title)
        task.title_lines.append(prefix if labels else title)
        if labels:
            self.apply_labels(labels)

    def is_next_group(self, number: str, style: str) -> bool:
        """A "N." line opens a group only in the section's group style and in sequence.

        This keeps a numbered list inside a task ("1) …", "2) …" under task 1.2) in
        the task instead of turning it into groups.
        """
        if self.group is None or not self.group.code.isdigit():
            return True
        return style == self.group_style and int(number) > int(self.group.code)

    def feed_solutions(self, line: str) -> None:
        match = _TASK_RE.match(line)
        if match and not match.group(3):
            self.new_task(f"{match.group(1)}.{match.group(2)}", match.group(4), kind="numbered")
            return
        group = _GROUP_RE.match(line)
        if not match and group and self.is_next_group(group.group(1), group.group(2)):
            prefix, labels = _find_labels(group.group(3))
            title = prefix if labels else group.group(3)
            self.new_group(group.group(1), title.rstrip(" :;"), style=group.group(2))
            if labels:
                self.implicit_task([title])
                self.apply_labels(labels)
            return
        letter = _LETTER_RE.match(line)
        if not match and letter and self.group is not None and not self.group.has_numbered_tasks:
            self.new_task(letter.group(1), letter.group(2), kind="lettered")
            return
        prefix, labels = _find_labels(line)
        if labels:
            if prefix:
                self.feed_solution_body(prefix)
            self.apply_labels(labels)
            return
        unknown = _UNKNOWN_LABEL_RE.match(_BULLET_RE.sub("", line))
        if (
            unknown
            and not _is_label_bullet(line, unknown.group(2))
            and self.is_unknown_label(unknown.group(1), unknown.group(2))
        ):
            where = self.task.code if self.task else (self.group.code if self.group else "?")
            self.warn(
                _('Unrecognised label "%(label)s" (task %(code)s): %(text)s'),
                label=unknown.group(1),
                code=where,
                text=_short(line),
            )
            self.unplace(line)
            self.open_label = None
            return
        self.feed_solution_body(line)

    @staticmethod
    def is_unknown_label(label: str, value: str) -> bool:
        key = fold(label).strip()
        words = key.split()
        if key in _NOT_A_LABEL or not words:
            return False
        return len(words) <= 3 or (len(words) <= 5 and bool(value.strip()))

    def feed_solution_body(self, line: str) -> None:
        line = _BULLET_RE.sub("", line)
        if self.open_label is not None:
            task, kind, empty = self.open_label
            self.open_label = None
            if empty or (kind != "timing" and (looks_like_unit(line) or _starts_lowercase(line))):
                self.set_label(task, kind, line)
                if re.search(r"(?:[,;]|\bvà)$", line) and kind != "timing":
                    self.open_label = (task, kind, False)
                return
        if self.task is not None and not self.task.labelled and not self.group.pending:
            self.task.title_lines.append(line)
        elif self.group is not None:
            self.group.pending.append(line)
        elif not re.search(r"\bphu luc\b", fold(line)):  # "(chi tiết tại Phụ lục)" is no orphan
            self.warn(_("Paragraph not yet in any solution group: %(text)s"), text=_short(line))
            self.unplace(line)

    def apply_labels(self, labels: list[_Label]) -> None:
        group = self.group
        if group is None:
            for label in labels:
                self.warn(
                    _('Label "%(label)s" could not be attached to any task: %(text)s'),
                    label=label.name,
                    text=_short(label.value),
                )
            return
        if group.pending:
            pending, group.pending = group.pending, []
            task = self.implicit_task(pending)
        elif self.task is not None:
            task = self.task
        else:
            task = self.implicit_task([group.title])
        for label in labels:
            self.set_label(task, label.kind, label.value)
        last = labels[-1]
        self.open_label = (task, last.kind, not last.value) if last.open else None

    def set_label(self, task: _Task, kind: str, value: str) -> None:
        task.labelled = True
        value = value.strip()
        if kind == "timing":
            timing = re.sub(r"[\s.;,]+$", "", value)
            task.timing = f"{task.timing}; {timing}" if task.timing and timing else (task.timing or timing)
            task.deadline = period_to_deadline(task.timing, self.default_year)
        else:
            target = task.lead if kind == "lead" else task.cooperating
            for unit in split_units(value):
                if unit not in target:
                    target.append(unit)

    @property
    def default_year(self) -> int | None:
        """The plan's year, for timings without one ("Quý II"): the date line, else the title."""
        if self.plan_year:
            return self.plan_year
        years = re.findall(r"\bnam (20\d\d)\b", fold(" ".join(self.title_lines)))
        return int(years[-1]) if years else None

    # ------------------------------------------------------------------ tables
    def add_table(self, table: TaskTable) -> None:
        if self.section_kind == "solutions":
            self.close_group()
        rows, merged = table.table.rows, table.table.merged
        columns = table.columns
        data = [
            index
            for index in range(table.data_start, len(rows))
            if any(cell.strip() for cell in rows[index])
            and not (
                sum(1 for cell in rows[index] if cell.strip()) >= 3
                and all(re.fullmatch(r"\(?\d{1,2}\)?", c.strip()) for c in rows[index] if c.strip())
            )
        ]

        def cell(row: list[str], kind: str) -> str:
            texts: list[str] = []
            for index in columns.get(kind, []):
                text = row[index].strip() if index < len(row) else ""
                if text and text not in texts:
                    texts.append(text)
            return "\n".join(texts)

        def code_of(row: list[str]) -> str:
            return cell(row, "code").strip().rstrip(".)").strip()

        def task_deadline(task: _Task) -> None:
            task.deadline = period_to_deadline(task.timing, self.default_year)

        group: _Group | None = None
        previous: _Task | None = None
        previous_numbered = False
        for position, index in enumerate(data):
            row = rows[index]
            code = code_of(row)
            title = cell(row, "task")
            details = any(cell(row, kind) for kind in ("lead", "cooperating", "timing"))
            if merged[index]:
                text = next(c for c in row if c.strip()).strip()
                heading = re.match(r"^([IVX]{1,6}|[A-Z]|\d{1,2})\s*[.)\-–:]\s*(.+)$", text, re.DOTALL)
                group_code = heading.group(1) if heading else str(sum(1 for g in self.groups if not g.synthetic) + 1)
                group = self.table_group(group_code, " ".join((heading.group(2) if heading else text).split()))
                previous = None
                continue
            next_code = code_of(rows[data[position + 1]]) if position + 1 < len(data) else ""
            is_group = bool(code) and (
                roman_to_int(code, largest=ROMAN_LARGEST) is not None
                or re.fullmatch(r"[A-Z]", code) is not None
                or (code.isdigit() and not details and not next_code.isdigit())
            )
            if is_group:
                group = self.table_group(code, " ".join(title.split()))
                previous = None
                continue
            if group is None:
                group = self.table_group(None, self.section_title or _("Tasks"))
            if not code and previous is not None and previous_numbered:
                _continue_row(previous, title, cell(row, "lead"), cell(row, "cooperating"), cell(row, "timing"))
                task_deadline(previous)
                continue
            previous_numbered = bool(code) and not _BULLET_RE.fullmatch(code + " ")
            if not code or _BULLET_RE.fullmatch(code + " "):
                code = str(len(group.tasks) + 1)
            task = _Task(code=group.qualify(code), title_lines=title.splitlines(), kind="table")
            task.lead = split_units(cell(row, "lead"))
            task.cooperating = split_units(cell(row, "cooperating"))
            task.timing = re.sub(r"[\s.;,]+$", "", " ".join(cell(row, "timing").split()))
            task_deadline(task)
            task.labelled = True
            previous = task
            if not title.strip():
                self.warn(_("Row %(code)s of the task table has no task content."), code=task.code)
            group.tasks.append(task)
            for column, name in table.others.items():
                value = row[column].strip() if column < len(row) else ""
                if value:
                    self.warn(
                        _('Column "%(column)s" of the task table was not imported (task %(code)s): %(text)s'),
                        column=name,
                        code=task.code,
                        text=_short(" ".join(value.split())),
                    )
        self.group = None
        self.task = None
        if self.state == "appendix" and self.narrative:
            self.link_appendix([group for group in self.groups if group not in self.narrative])

    def link_appendix(self, appendix: list[_Group]) -> None:
        """Tie an appendix's task rows to the narrative items they detail, so no task is counted twice.

        A row repeating a narrative task (same words) is that task: it only fills in the units and timing the
        narrative left out. Rows under an appendix group naming a narrative group or task are the details of
        that task (the group's only task, or the named one): they join its group, coded below it, with
        ``detail_of`` set. Other rows of a matched group join it as its further tasks.
        """
        narrative_tasks = [task for group in self.narrative for task in group.tasks]
        for group in appendix:
            parent_group = next((g for g in self.narrative if _same_words(g.title, group.title)), None)
            parent_task = next(
                (t for t in narrative_tasks if _same_words(" ".join(t.title_lines[:1]), group.title)), None
            )
            if parent_task is None and parent_group is not None and len(parent_group.tasks) == 1:
                parent_task = parent_group.tasks[0]
            if parent_task is not None and parent_group is None:
                parent_group = next(g for g in self.narrative if parent_task in g.tasks)
            kept: list[_Task] = []
            had_tasks = bool(group.tasks)
            for task in group.tasks:
                same = next(
                    (t for t in narrative_tasks if _same_words(" ".join(t.title_lines), " ".join(task.title_lines))),
                    None,
                )
                if same is not None:
                    _fill_in(same, task)
                elif parent_group is not None:
                    task.detail_of = parent_task.code if parent_task else None
                    task.code = self.free_code(parent_task.code if parent_task else parent_group.code)
                    parent_group.tasks.append(task)
                else:
                    kept.append(task)
            group.tasks = kept
            for task in kept:  # a row of its own: its number must not repeat a narrative task's code
                if any(other.code == task.code for other in narrative_tasks):
                    task.code = self.free_code(group.code)
            if not kept and (had_tasks or parent_group is not None):
                self.groups.remove(group)

    def free_code(self, prefix: str) -> str:
        taken = {task.code for group in self.groups for task in group.tasks}
        number = 1
        while f"{prefix}.{number}" in taken:
            number += 1
        return f"{prefix}.{number}"

    def table_group(self, code: str | None, title: str) -> _Group:
        if code is None:
            existing = next((g for g in self.groups if g.synthetic), None)
            if existing:
                return existing
            taken = {g.code for g in self.groups}
            code = "1"
            while code in taken:
                code = str(int(code) + 1)
            group = _Group(code=code, title=title, synthetic=True)
        else:
            existing = next((g for g in self.groups if g.code == code), None)
            if existing in self.narrative:  # an appendix group numbered like a body group: "PL.I" until linked
                code = f"PL.{code}"
                existing = next((g for g in self.groups if g.code == code), None)
            if existing:
                return existing
            group = _Group(code=code, title=title)
        self.groups.append(group)
        return group

    # ------------------------------------------------------------- organization
    def feed_organization(self, line: str) -> None:
        heading = _GROUP_RE.match(line)
        letter = _LETTER_RE.match(line)
        if heading and not _TASK_RE.match(line) and _names_no_body(heading.group(3)):
            self.duty = None  # "4. Chế độ thông tin, báo cáo": its lines are events or left unplaced
            self.duty_closed = True
            return
        sub_unit = _TASK_RE.match(line)
        if sub_unit and not sub_unit.group(3) and looks_like_unit(sub_unit.group(4)):
            parent = self.duty if self.duty is not None and not self.duty["items"] else None
            if self.start_duty(sub_unit.group(4), from_letter=False, require_unit_word=True):
                if parent is not None and not self.duty_is_sub_unit:
                    self.duties.remove(parent)  # "1. Các phòng thuộc Sở" only groups the units below it
                self.duty_is_sub_unit = True
                return  # "1.1. Phòng Giáo dục phổ thông": a unit of its own under the body above
        self.duty_is_sub_unit = False if heading and not sub_unit else self.duty_is_sub_unit
        if heading and not _TASK_RE.match(line):
            if self.start_duty(heading.group(3), from_letter=False):
                self.duty_closed = False
                return
        elif (
            letter
            and (self.duty is None or not self.duty["items"] or self.duty_from_letter)
            and self.start_duty(letter.group(2), from_letter=True, require_unit_word=True)
        ):
            return
        item = _BULLET_RE.sub("", line).strip()
        if self.duty is None:
            if item.endswith(":"):  # an introduction such as "… tổ chức thực hiện như sau:"
                return
            self.unplace(item)
            if self.duty_closed:
                return
            self.warn(
                _("Content not yet assigned to any unit (Organisation of implementation): %(text)s"), text=_short(item)
            )
            return
        self.duty["items"].append(item)

    def start_duty(self, text: str, from_letter: bool, require_unit_word: bool = False) -> bool:
        name, _sep, rest = text.partition(":")
        if not _sep:
            name, rest = text, ""
        name = re.sub(r"^(?:đề nghị|giao|đối với|trách nhiệm của)\s+", "", name.strip(), flags=re.IGNORECASE)
        if len(name.split()) > 15 or (not _sep and name.rstrip().endswith(".")):
            return False
        if require_unit_word and not looks_like_unit(name):
            return False
        if from_letter and self.duty is not None and not self.duty["items"] and not self.duty_from_letter:
            self.duties.remove(self.duty)  # a heading grouping the lettered units
        items: list[str] = [_capitalize(rest.strip())] if rest.strip() else []
        # "Giám đốc các Sở …; Chủ tịch UBND các xã, phường": each body named has the same duties.
        bodies = [body.strip() for body in name.split(";") if body.strip()] or [name]
        for body in bodies:
            self.duties.append({"unit": normalize_unit_name(body), "items": items})
        self.duty = self.duties[-len(bodies)]
        self.duty_from_letter = from_letter
        return True

    # ------------------------------------------------------- closing, recipients
    def feed_closing(self, line: str) -> None:
        """The closing paragraph ("Trên đây là Kế hoạch …") is not structured."""

    def feed_recipients(self, line: str) -> None:
        if _BULLET_RE.match(line):
            self.feed_recipient(line)
        else:
            self.state = "signer"
            self.feed_signer(line)

    def feed_recipient(self, line: str) -> None:
        recipient = re.sub(r"[\s;.,]+$", "", _BULLET_RE.sub("", line)).strip()
        if recipient:
            self.recipients.append(recipient)

    def feed_signer(self, line: str) -> None:
        if _SIGNER_NOTE_RE.match(fold(line)):
            return
        self.signer_lines.append(line)

    def feed_appendix(self, line: str) -> None:
        """Appendix text is not structured; its task tables are read by :meth:`add_table`.

        The first line after "PHỤ LỤC" (other than "(Kèm theo …)") names the appendix
        and titles the group of a task table without group rows.
        """
        if not self.section_title and not line.startswith("("):
            self.section_title = line.rstrip(" :.")

    # ------------------------------------------------------------------ result
    def check_tasks(self) -> None:
        seen: set[str] = set()
        for group in self.groups:
            for task in group.tasks:
                if not task.lead:
                    self.warn(_("Task %(code)s has no lead/implementing unit yet."), code=task.code)
                if task.code in seen:
                    self.warn(_("Duplicate task code %(code)s."), code=task.code)
                seen.add(task.code)
        for duty in self.duties:
            if not duty["items"]:
                self.warn(
                    _('Unit "%(unit)s" has no specific task yet (Organisation of implementation).'), unit=duty["unit"]
                )
        if not self.groups:
            self.warn(_("No tasks or solutions were found in the plan."))

    def signer(self) -> ParsedSigner:
        lines = self.signer_lines
        name = None
        if lines:
            last = lines[-1]
            if not _is_upper_line(last) or (len(lines) > 1 and not _TITLE_WORDS_RE.search(fold(last))):
                name = last
                lines = lines[:-1]
        titles = [line for line in lines if _is_upper_line(line)]
        for line in lines:
            if not _is_upper_line(line):
                self.unplace(line)
                self.warn(_("Unrecognised line in the signature block: %(text)s"), text=_short(line))
        return {
            "name": name,
            "title": titles[-1] if titles else None,
            "on_behalf": "\n".join(titles[:-1]) or None,
        }

    def result(self) -> ParsedPlan:
        return {
            "number": self.number,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "title": " ".join(self.title_lines).strip(),
            "basis": "\n".join(self.basis_lines) or None,
            "targets": self.targets,
            "groups": [group.as_dict() for group in self.groups],
            "duties": self.duties,
            "recipients": self.recipients,
            "signer": self.signer(),
            "events": self.events,
            "unplaced": self.unplaced,
            "warnings": self.warnings,
        }


def _names_no_body(heading: str) -> bool:
    """ "4. Chế độ thông tin, báo cáo", "1. Hình thức triển khai": a heading under TỔ CHỨC THỰC HIỆN naming no unit."""
    key = fold(heading.partition(":")[0])
    return bool(_NOT_A_UNIT_RE.match(key)) or not _BODY_WORD_RE.search(key)


def _is_label_bullet(line: str, value: str) -> bool:
    """ "- Nâng cao nhận thức: Các cơ sở …": a bullet led by a short label, whose sentence is the content."""
    words = value.split()
    return bool(_BULLET_RE.match(line)) and len(words) >= 4 and words[0][:1].isupper()


# A counted target: "ít nhất 30 hộ", "tối thiểu 12 tin, bài", "đạt 500 lượt".
_COUNT_RE = re.compile(r"(?:ít nhất|tối thiểu|đạt|trên|≥)\s*(\d+(?:[.,]\d+)?)\s+([^\W\d_]+)", re.IGNORECASE)


def _target_figure(text: str) -> tuple[float | None, str | None]:
    """The figure of a target: its first percentage, else a count ("ít nhất 30 hộ" → 30, "hộ")."""
    value = parse_percentage(text)
    if value is not None:
        return value, "%"
    count = _COUNT_RE.search(text)
    if count:
        return float(count.group(1).replace(",", ".")), count.group(2)
    return None, None


def _split_targets(text: str) -> list[str]:
    """One sentence may hold several targets: "100% cán bộ …; ít nhất 20% người dân …"."""
    pieces = [piece.strip() for piece in text.split(";")]
    if len(pieces) > 1 and all(parse_percentage(piece) is not None for piece in pieces if piece):
        return [_capitalize(piece) for piece in pieces if piece]
    return [text]


@functools.lru_cache(maxsize=4096)  # an appendix compares each row with every narrative task
def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", fold(text)))


def _same_words(first: str, second: str) -> bool:
    """Two titles naming the same item: the shorter one's words (at least three) nearly all in the longer."""
    a, b = _words(first), _words(second)
    if min(len(a), len(b)) < 3:
        return False
    return len(a & b) >= 0.8 * min(len(a), len(b)) and len(a & b) >= 0.6 * max(len(a), len(b))


def _fill_in(task: _Task, row: _Task) -> None:
    """The narrative ``task`` takes from an appendix ``row`` repeating it what it left out."""
    task.lead += [unit for unit in row.lead if unit not in task.lead]
    task.cooperating += [unit for unit in row.cooperating if unit not in task.cooperating]
    if not task.timing and row.timing:
        task.timing, task.deadline = row.timing, row.deadline


def _continue_row(task: _Task, title: str, lead: str, cooperating: str, timing: str) -> None:
    """A row without a number continues the task above it (the row was cut by a page break)."""
    if title.strip():
        last = task.title_lines[-1] if task.title_lines else ""
        if last and _starts_lowercase(title) and not _ends_sentence(last):
            task.title_lines[-1] = f"{last} {title.strip()}"
        else:
            task.title_lines.extend(title.splitlines())
    task.lead += [unit for unit in split_units(lead) if unit not in task.lead]
    task.cooperating += [unit for unit in split_units(cooperating) if unit not in task.cooperating]
    timing = re.sub(r"[\s.;,]+$", "", " ".join(timing.split()))
    if timing and timing != task.timing:
        task.timing = f"{task.timing}; {timing}" if task.timing else timing


def _clean_items(blocks: list[Block]) -> list[str | TaskTable]:
    """Clean the reader's blocks: task tables are kept, other tables become paragraphs."""
    items: list[str | TaskTable] = []
    for block in blocks:
        if isinstance(block, TableBlock):
            table = detect_task_table(block) or detect_target_table(block)
            if table:
                table.table.rows = [[_clean_cell(c) for c in row] for row in block.rows]
                items.append(table)
                continue
            lines = layout_lines(block) if is_layout_table(block) else block.lines
        else:
            lines = [block]
        for line in lines:
            line = _clean_line(line)
            if line and not _is_decorative(line):
                items.append(line)
    return items


def _parse_blocks(blocks: list[Block]) -> ParsedPlan:
    """Clean the reader's blocks and run the parser over them."""
    items = _clean_items(blocks)
    if not items:
        raise PlanParseError(_("No text content was found in the file."))
    return _PlanParser().run(_join_page_breaks(items))


def _clean_cell(text: str) -> str:
    return "\n".join(_clean_line(line) for line in text.splitlines() if _clean_line(line))
