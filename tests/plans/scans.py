"""A scanned one-page plan, made on the fly: the text drawn with DejaVu (Debian's fonts-dejavu-core) on an A4
page at 300 dpi, turned slightly and speckled like a page fed askew into an office scanner."""

from __future__ import annotations

import random
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# (text, bold, centred); "" is a blank line.
SCANNED_PLAN = [
    ("ỦY BAN NHÂN DÂN XÃ TÂN LẬP", True, False),
    ("Số: 12/KH-UBND", False, False),
    ("Tân Lập, ngày 5 tháng 3 năm 2026", False, False),
    ("", False, False),
    ("KẾ HOẠCH", True, True),
    ("Truyền thông Nghị quyết số 57-NQ/TW năm 2026", True, True),
    ("", False, False),
    ("I. MỤC TIÊU", True, False),
    ("Năm 2026: 100% cán bộ, công chức được phổ biến Nghị quyết.", False, False),
    ("II. NHIỆM VỤ, GIẢI PHÁP", True, False),
    ("1. Tuyên truyền trên hệ thống truyền thanh", True, False),
    ("1.1. Phát thanh chuyên đề chuyển đổi số hằng tháng", False, False),
    ("Đơn vị thực hiện: Phòng Văn hóa - Xã hội", False, False),
    ("Thời gian: Tháng 9/2026", False, False),
    ("1.2. Xây dựng chuyên mục trên trang thông tin điện tử", False, False),
    ("Đơn vị thực hiện: Văn phòng HĐND và UBND", False, False),
    ("Thời gian: Tháng 12/2026", False, False),
    ("", False, False),
    ("Nơi nhận:", True, False),
    ("- Như trên;", False, False),
    ("- Lưu: VT.", False, False),
    ("", False, False),
    ("KT. CHỦ TỊCH", True, True),
    ("PHÓ CHỦ TỊCH", True, True),
    ("", False, False),
    ("Nguyễn Văn Bình", True, True),
]


def render_scan(path: Path, *, angle: float = 1.2, noise: float = 0.004, seed: int = 57, turn: int = 0) -> Path:
    """Draw :data:`SCANNED_PLAN` as a grey page image (PNG or JPEG by suffix; PDF: an image-only PDF).

    ``angle``: the slight skew (degrees, counter-clockwise); ``turn``: 90, 180, 270 for a page photographed sideways
    or upside down."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 2480, 3508  # A4 at 300 dpi
    page = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(page)
    regular = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), 50)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), 50)
    y = 260
    for text, is_bold, centred in SCANNED_PLAN:
        if text:
            font = bold if is_bold else regular
            x = (width - draw.textlength(text, font=font)) / 2 if centred else 240
            draw.text((x, y), text, font=font, fill=25)
        y += 88 if text else 50
    page = page.rotate(angle, expand=False, fillcolor=250, resample=Image.Resampling.BICUBIC)
    rng = random.Random(seed)
    pixels = page.load()
    for _ in range(int(width * height * noise)):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 90, 255))
    if turn:
        page = page.rotate(turn, expand=True)
    if path.suffix.lower() == ".pdf":
        page.save(path, "PDF", resolution=300)
    else:
        page.save(path)
    return path
