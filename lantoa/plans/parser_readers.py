"""Readers turning a plan file (.txt, .docx, .doc, .odt, .pdf, scans) into a flat list of blocks.

A block is either a ``str`` (one paragraph or line of text) or a :class:`TableBlock`.
Readers do not interpret the plan; they only recover the text in reading order:

* ``.txt``: UTF-8 (a BOM is tolerated), any line ending; one line per block, except that
  consecutive tab-separated lines (how Word saves a table as plain text) become one
  :class:`TableBlock`; a line without a tab between two such lines is a merged row.
* ``.docx``: body paragraphs and tables interleaved in document order, content
  controls included; Word's automatic numbering ("1.", "a)", bullets) is rebuilt
  from ``numbering.xml`` and put in front of the paragraph text, because plans rely on
  it for their structure. Soft line breaks split a paragraph into several blocks.
* ``.pdf``: the text layer, in content-stream order (which keeps table cells such as
  the header and the signature block in reading order). Lines wrapped by the layout
  are joined again using their geometry (see :func:`_join_wrapped_lines`). A PDF without
  text (a scan) raises :class:`NoTextLayer`; ``parse_plan_file`` then reads it by OCR.
* ``.doc`` and ``.odt``: converted to DOCX with LibreOffice headless (``tenancy.office``, at
  most :data:`CONVERT_SECONDS`), then read as a DOCX.
* scanned PDF, ``.jpg``, ``.png``: OCR with Tesseract (:mod:`lantoa.plans.parser_ocr`); the
  paragraphs are :class:`~lantoa.plans.parser_ocr.OcrText` strings carrying their confidence.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from lantoa.tenancy.office import docx_element

from .parser_errors import NoTextLayer, PlanParseError, _
from .parser_text import nfc


@dataclass
class TableBlock:
    """A table as a grid of cell texts.

    ``rows[r][c]`` is the text of grid column ``c`` (a horizontally merged cell repeats
    its text in each column it spans, a vertically merged cell in each row).
    ``merged[r]`` is True when the whole row is a single cell spanning several columns.
    ``lines`` is the table flattened to paragraphs (each cell once, row by row), used
    when the table is not a task table (e.g. the header or the signature block).
    """

    rows: list[list[str]] = field(default_factory=list)
    merged: list[bool] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


# What a reader gives the parser: the document's paragraphs in order, with its tables where they stand.
Block = str | TableBlock


def _raw_lines(text: str) -> list[str]:
    text = nfc(text.replace("\ufeff", ""))
    return re.split(r"\r\n|\r|\n|\v|\f|\u2028|\u2029", text)


def text_to_blocks(text: str) -> list[str]:
    """Split plain text into non-empty, stripped NFC lines."""
    return [line.strip() for line in _raw_lines(text) if line.strip()]


def _is_row(line: str) -> bool:
    """A line of a table saved as text: cells separated by tabs, at least one cell filled."""
    return "\t" in line and any(cell.strip() for cell in line.split("\t"))


def _table_from_rows(lines: list[str]) -> TableBlock:
    """A :class:`TableBlock` from tab-separated lines; a line without a tab is a row merged across."""
    split = [[cell.strip() for cell in line.rstrip().split("\t")] if "\t" in line else [line.strip()] for line in lines]
    width = max(len(cells) for cells in split)
    block = TableBlock()
    for cells in split:
        merged = len(cells) == 1 and width > 1
        block.rows.append(cells * width if merged else cells + [""] * (width - len(cells)))
        block.merged.append(merged)
    block.lines = [cell for cells in split for cell in cells if cell]
    return block


def text_to_stream(text: str) -> list[Block]:
    """Plain text as blocks: lines, and runs of tab-separated lines as tables (see the module's docstring)."""
    lines = [line for line in _raw_lines(text) if line.strip()]
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if not _is_row(lines[index]):
            blocks.append(lines[index].strip())
            index += 1
            continue
        end = index + 1
        while end < len(lines) and (
            _is_row(lines[end]) or (end + 1 < len(lines) and _is_row(lines[end + 1]) and "\t" not in lines[end])
        ):
            end += 1
        blocks.append(_table_from_rows(lines[index:end]))
        index = end
    return blocks


# ---------------------------------------------------------------------------- txt


def read_txt(path: Path) -> list[Block]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanParseError(_("The file cannot be read: %(error)s") % {"error": exc.strerror or path.name}) from exc
    if b"\x00" in raw:
        raise PlanParseError(_("The file cannot be read: %(error)s") % {"error": _("binary file, not text")})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanParseError(
            _("The file cannot be read: %(error)s") % {"error": _("text files must be UTF-8 encoded")}
        ) from exc
    return text_to_stream(text)


# --------------------------------------------------------------------------- docx


def _roman(number: int) -> str:
    pairs = [(40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, numeral in pairs:
        while number >= value:
            result += numeral
            number -= value
    return result


def _letters(number: int) -> str:
    result = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        result = chr(ord("a") + remainder) + result
    return result


class _DocxNumbering:
    """Rebuilds the labels ("1.", "1.1.", "a)", "-") of Word's automatic numbering."""

    def __init__(self, document):

        self._qn = qn
        self._document = document
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._style_cache: dict[str, tuple[str, int] | None] = {}
        try:
            root = document.part.numbering_part.element
        except (AttributeError, KeyError, NotImplementedError):  # no numbering part in the package
            return
        abstract_levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = self._level(lvl)
            abstract_levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract_id = num.find(qn("w:abstractNumId"))
            if abstract_id is None:
                continue
            levels = dict(abstract_levels.get(abstract_id.get(qn("w:val")), {}))
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in levels:
                    fmt, text, _start = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(qn("w:val"), "1")))
            self._levels[num.get(qn("w:numId"))] = levels

    def _level(self, lvl) -> tuple[str, str, int]:
        qn = self._qn

        def value(tag: str, default: str) -> str:
            element = lvl.find(qn(tag))
            return element.get(qn("w:val"), default) if element is not None else default

        return value("w:numFmt", "decimal"), value("w:lvlText", ""), int(value("w:start", "1"))

    def _num_pr(self, p_element) -> tuple[str, int] | None:
        qn = self._qn
        ppr = p_element.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None:
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            if num_id is not None:
                return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        if style is None:
            return None
        return self._style_num_pr(style.get(qn("w:val")))

    def _style_num_pr(self, style_id: str, depth: int = 0) -> tuple[str, int] | None:
        if style_id in self._style_cache:
            return self._style_cache[style_id]
        qn = self._qn
        result = None
        styles = self._document.styles.element
        element = next((s for s in styles.findall(qn("w:style")) if s.get(qn("w:styleId")) == style_id), None)
        if element is not None and depth < 10:
            ppr = element.find(qn("w:pPr"))
            num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if num_pr is not None and num_pr.find(qn("w:numId")) is not None:
                ilvl = num_pr.find(qn("w:ilvl"))
                result = (
                    num_pr.find(qn("w:numId")).get(qn("w:val")),
                    int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0,
                )
            else:
                based_on = element.find(qn("w:basedOn"))
                if based_on is not None:
                    result = self._style_num_pr(based_on.get(qn("w:val")), depth + 1)
        self._style_cache[style_id] = result
        return result

    @staticmethod
    def _format(number: int, fmt: str) -> str:
        if fmt == "lowerLetter":
            return _letters(number)
        if fmt == "upperLetter":
            return _letters(number).upper()
        if fmt == "lowerRoman":
            return _roman(number).lower()
        if fmt == "upperRoman":
            return _roman(number)
        if fmt == "decimalZero":
            return f"{number:02d}"
        if fmt == "none":
            return ""
        return str(number)

    def label(self, p_element) -> str:
        """The visible numbering label of a paragraph ("" when it has none)."""
        num_pr = self._num_pr(p_element)
        if not num_pr or num_pr[0] in (None, "0"):
            return ""
        num_id, ilvl = num_pr
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        if fmt == "bullet":
            return "- "
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]

        def replace(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _text, level_start = levels.get(level, ("decimal", "", 1))
            return self._format(counters.get(level, level_start), level_fmt)

        label = re.sub(r"%([1-9])", replace, text).strip()
        return f"{label} " if label else ""


def _iter_content(element, qn):
    """Yield ``w:p`` and ``w:tbl`` children in order, looking inside content controls."""
    for child in element.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _iter_content(child, qn)


def _docx_cell_lines(tc, document, numbering, qn) -> list[str]:

    lines: list[str] = []
    for child in _iter_content(tc, qn):
        if child.tag == qn("w:p"):
            text = numbering.label(child) + Paragraph(child, document).text
            lines.extend(text_to_blocks(text))
        else:
            lines.extend(_docx_table(child, document, numbering, qn).lines)
    return lines


def _docx_table(tbl, document, numbering, qn) -> TableBlock:

    table = Table(tbl, document)
    block = TableBlock()
    seen: set[int] = set()
    for row in table.rows:
        cells = list(row.cells)
        texts: list[str] = [""] * row.grid_cols_before
        distinct: list[int] = []
        cache: dict[int, str] = {}
        for cell in cells:
            key = id(docx_element(cell))
            if key not in cache:
                cell_lines = _docx_cell_lines(docx_element(cell), document, numbering, qn)
                cache[key] = "\n".join(cell_lines)
                if key not in seen:
                    seen.add(key)
                    block.lines.extend(cell_lines)
            if not distinct or distinct[-1] != key:
                distinct.append(key)
            texts.append(cache[key])
        texts.extend([""] * row.grid_cols_after)
        block.rows.append(texts)
        block.merged.append(len(set(distinct)) == 1 and len(cells) > 1)
    return block


def read_docx(path: Path) -> list[Block]:
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise PlanParseError(
            _("The file cannot be read: %(error)s")
            % {"error": _("%(name)s is not a valid Word (.docx) file") % {"name": path.name}}
        ) from exc
    numbering = _DocxNumbering(document)
    blocks: list = []
    for child in _iter_content(document.element.body, qn):
        if child.tag == qn("w:p"):
            text = numbering.label(child) + Paragraph(child, document).text
            blocks.extend(text_to_blocks(text))
        else:
            blocks.append(_docx_table(child, document, numbering, qn))
    return blocks


# ---------------------------------------------------------------------------- pdf


@dataclass
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    first_word_width: float


def _pdf_page_lines(page) -> list[_PdfLine]:
    """Group the page's characters, in content-stream order, into text lines."""
    lines: list[_PdfLine] = []
    chars: list[dict] = []

    def flush():
        visible = [c for c in chars if c["text"].strip()]
        if not visible:
            return
        text = ""
        previous = None
        for char in chars:
            gap = char["x0"] - previous["x1"] if previous is not None else 0.0
            if char["text"].strip() and not text.endswith(" ") and gap > 0.15 * char["size"]:
                text += " "
            text += char["text"]
            previous = char
        first_end = visible[0]["x1"]
        for char in chars[chars.index(visible[0]) :]:
            if not char["text"].strip():
                break
            first_end = char["x1"]
        lines.append(
            _PdfLine(
                text=" ".join(text.split()),
                x0=visible[0]["x0"],
                x1=max(c["x1"] for c in visible),
                top=visible[0]["top"],
                size=statistics.median(c["size"] for c in visible),
                first_word_width=first_end - visible[0]["x0"],
            )
        )

    for char in page.chars:
        size = char.get("size") or 10.0
        if chars:
            last = chars[-1]
            new_line = (
                abs(char["top"] - last["top"]) > 0.5 * size
                or char["x0"] < last["x0"] - 0.5 * size
                or char["x0"] > last["x1"] + 3 * size
            )
            if new_line:
                flush()
                chars = []
        chars.append(char)
    flush()
    return lines


_STRUCTURE_START = re.compile(r"^(?:[-+•–]\s|[IVX]+\s*[.\-–)]\s|\d+(?:\.\d+)*\s*[.)]\s|\d+\.\d+\s|[a-zđ]\)\s)")
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?$", re.IGNORECASE)


def _is_upper(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def _join_wrapped_lines(lines: list[_PdfLine], left: float, right: float) -> list[str]:
    """Join lines that the PDF layout wrapped back into paragraphs.

    A line continues the previous one when all of these hold:

    * the previous line ends so close to the right margin that the next line's first
      word would not have fitted after it (the line was wrapped);
    * the next line starts at the left margin, or both lines share one centre (a
      centred title); a first-line indent marks a new paragraph;
    * the next line does not start a list item or a numbered heading;
    * the previous line does not end a sentence before a capital letter, and an
      upper-case line is not continued by a mixed-case one.
    """
    paragraphs: list[str] = []
    previous: _PdfLine | None = None
    for line in lines:
        join = False
        if previous is not None and paragraphs:
            size = max(line.size, previous.size)
            wrapped = previous.x1 + 0.3 * previous.size + line.first_word_width > right - 0.5
            at_left = line.x0 <= left + 0.5 * size
            centred = abs((previous.x0 + previous.x1) - (line.x0 + line.x1)) / 2 <= size
            sentence_end = previous.text[-1:] in ".:;!?" and line.text[:1].isupper()
            case_break = _is_upper(previous.text) != _is_upper(line.text)
            join = (
                wrapped
                and (at_left or centred)
                and not sentence_end
                and not case_break
                and not _STRUCTURE_START.match(line.text)
            )
        if join:
            paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
        else:
            paragraphs.append(line.text)
        previous = line
    return paragraphs


# Word's bullets drawn from the Symbol or Wingdings font reach the text layer as private-use characters.
_SYMBOL_BULLET = re.compile(r"^[\uf000-\uf0ff]\s*")


def _bullet(text: str) -> str:
    return _SYMBOL_BULLET.sub("- ", text)


def _pdf_cell_text(page, bbox) -> str:
    """A table cell's text: its lines wrapped by the cell's width joined again (the rule of the page's text)."""
    x0, top, x1, bottom = bbox
    lines = _pdf_page_lines(page.within_bbox((x0, top, x1, bottom), strict=False))
    if not lines:
        return ""
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    # The cell's right edge, less its padding, is where its lines wrap.
    right = max(right, x1 - 0.5 * statistics.median(line.size for line in lines))
    return nfc("\n".join(_bullet(text) for text in _join_wrapped_lines(lines, left, right)))


def _pdf_table(page, table) -> TableBlock | None:
    """A ruled table found by pdfplumber, as the DOCX reader gives it (a row of one cell is a merged row)."""
    grid = [[_pdf_cell_text(page, cell) if cell is not None else None for cell in row.cells] for row in table.rows]
    if len(grid) < 2 or max((len(row) for row in grid), default=0) < 2:
        return None
    block = TableBlock()
    for row in grid:
        present = [cell for cell in row if cell is not None]
        merged = len(present) == 1 and len(row) > 1
        texts = [present[0]] * len(row) if merged else [cell or "" for cell in row]
        block.rows.append(texts)
        block.merged.append(merged)
    _table_lines(block)
    return block


def _table_lines(block: TableBlock) -> None:
    block.lines = []
    for texts, merged in zip(block.rows, block.merged, strict=True):
        for cell in texts[:1] if merged else texts:
            block.lines.extend(line for line in cell.split("\n") if line)


def _continue_table(previous: TableBlock, table: TableBlock) -> bool:
    """Join a table that goes on from the previous page: same columns; a repeated header row is dropped, and a
    row split by the page break (its number cell empty) is put back together. True when joined."""
    if len(previous.rows[0]) != len(table.rows[0]):
        return False
    rows, merged = table.rows, table.merged
    if rows[0] == previous.rows[0]:
        rows, merged = rows[1:], merged[1:]
    if rows and not merged[0] and not rows[0][0].strip() and not previous.merged[-1]:
        last = previous.rows[-1]
        previous.rows[-1] = [" ".join(part for part in (a, b) if part) for a, b in zip(last, rows[0], strict=True)]
        rows, merged = rows[1:], merged[1:]
    previous.rows.extend(rows)
    previous.merged.extend(merged)
    _table_lines(previous)
    return True


def _pdf_page_items(page) -> list[_PdfLine | TableBlock]:
    """The page's lines (in content-stream order) with its ruled tables where they stand."""
    tables = []
    for found in page.find_tables():
        block = _pdf_table(page, found)
        if block is not None:
            tables.append((found.bbox, block))
    if not tables:
        return list(_pdf_page_lines(page))

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for (x0, top, x1, bottom), _block in tables)

    items: list[_PdfLine | TableBlock] = []
    waiting = sorted(tables, key=lambda item: item[0][1])
    for line in _pdf_page_lines(page.filter(outside)):
        while waiting and waiting[0][0][1] < line.top:
            items.append(waiting.pop(0)[1])
        items.append(line)
    items.extend(block for _bbox, block in waiting)
    return items


def read_pdf(path: Path) -> list[Block]:
    try:
        import pdfplumber  # noqa: PLC0415 — pdfplumber takes ~0.3 s to import; only PDF plans need it
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise PlanParseError(_("The PDF reading library (pdfplumber) is not installed.")) from exc
    try:
        with pdfplumber.open(str(path)) as pdf:
            items = [item for page in pdf.pages for item in _pdf_page_items(page)]
    except Exception as exc:
        raise PlanParseError(
            _("The file cannot be read: %(error)s")
            % {"error": _("%(name)s is not a valid PDF file or is encrypted") % {"name": path.name}}
        ) from exc
    items = [item for item in items if isinstance(item, TableBlock) or not _PAGE_NUMBER.match(item.text)]
    lines = [item for item in items if isinstance(item, _PdfLine)]
    tables = [item for item in items if isinstance(item, TableBlock)]
    if not any(re.search(r"[^\W\d_]", line.text) for line in lines) and not any(t.lines for t in tables):
        raise NoTextLayer(_("No text content was found in the PDF file (a scan without a text layer?)"))
    left = min((line.x0 for line in lines), default=0.0)
    right = max((line.x1 for line in lines), default=0.0)
    blocks: list[Block] = []
    run: list[_PdfLine] = []
    for item in [*items, None]:
        if isinstance(item, _PdfLine):
            run.append(item)
            continue
        blocks.extend(nfc(_bullet(text)) for text in _join_wrapped_lines(run, left, right))
        run = []
        if item is None:
            break
        if blocks and isinstance(blocks[-1], TableBlock) and _continue_table(blocks[-1], item):
            continue
        blocks.append(item)
    return blocks


# --------------------------------------------------------- .doc, .odt, scans

# Converting an old Word (.doc) or an OpenDocument (.odt) file to DOCX with LibreOffice: at most this long.
CONVERT_SECONDS = 90
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97–2003 documents


def _converted_to_docx(path: Path, kind: str) -> list[Block]:
    """Convert ``path`` to DOCX with LibreOffice headless (``tenancy.office``), then read it as a DOCX."""
    import tempfile  # noqa: PLC0415 — only these formats need it

    from lantoa.tenancy import office  # noqa: PLC0415 — only these formats need LibreOffice

    data = path.read_bytes()
    if kind == ".doc" and not data.startswith(OLE_MAGIC):
        raise PlanParseError(
            _("The file cannot be read: %(error)s")
            % {"error": _("%(name)s is not a valid Word 97–2003 (.doc) file") % {"name": path.name}}
        )
    try:
        converted = office.convert(data, kind, "docx:MS Word 2007 XML", timeout=CONVERT_SECONDS, stem="ke-hoach")
    except office.OfficeError as exc:
        if exc.code == "missing":
            message = _(
                "Reading %(kind)s files needs LibreOffice: install the Debian package libreoffice-writer-nogui."
            )
        elif exc.code == "timeout":
            message = _("Converting the %(kind)s file took more than %(seconds)s seconds and was stopped.")
        else:
            message = _(
                "The %(kind)s file could not be converted: is it damaged? Save it again as .docx and upload it."
            )
        raise PlanParseError(message % {"kind": kind, "seconds": CONVERT_SECONDS}) from exc
    with tempfile.TemporaryDirectory(prefix="lantoa-plan-") as tmp:
        docx_path = Path(tmp) / "ke-hoach.docx"
        docx_path.write_bytes(converted)
        return read_docx(docx_path)


def read_doc(path: Path) -> list[Block]:
    """An old Word document (.doc): converted to DOCX with LibreOffice, then read as a DOCX."""
    return _converted_to_docx(path, ".doc")


def read_odt(path: Path) -> list[Block]:
    """An OpenDocument text (.odt, LibreOffice Writer): converted to DOCX with LibreOffice, then read as a DOCX."""
    return _converted_to_docx(path, ".odt")
