"""Media made by the demo loader itself, offline: Pillow pictures, espeak-ng speech (MP3 through PyAV),
a short H.264 video, PDFs through fpdf2. No network, no downloaded assets."""

from __future__ import annotations

import io
import math
import shutil
import struct
import subprocess
import tempfile
import textwrap
import wave
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu")]
FONT_FILES = {
    "regular": ["NotoSans-Regular.ttf", "DejaVuSans.ttf"],
    "bold": ["NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"],
}
PALETTE = [
    ((143, 20, 20), (214, 86, 40)),
    ((10, 88, 168), (34, 150, 190)),
    ((22, 110, 60), (120, 170, 50)),
    ((90, 40, 140), (180, 70, 140)),
    ((160, 100, 0), (230, 170, 30)),
    ((20, 90, 110), (40, 160, 150)),
]
FOOTER = "Chuyên mục Nghị quyết 57 · Xã Nam Cường"


def font_path(weight: str = "regular") -> str | None:
    for name in FONT_FILES[weight]:
        for folder in FONT_DIRS:
            if (folder / name).exists():
                return str(folder / name)
    return None


def font(size: int, weight: str = "regular"):
    path = font_path(weight)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _gradient(size, top, bottom) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return image


def _wrap(draw, text, fnt, width_px) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=fnt) <= width_px:
            line = trial
        else:
            if line:
                lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def cover(title: str, index: int, size=(1200, 675), label: str = "") -> bytes:
    """A cover picture: a coloured gradient, circles, the title in large type, the column's name."""
    top, bottom = PALETTE[index % len(PALETTE)]
    image = _gradient(size, top, bottom)
    draw = ImageDraw.Draw(image)
    w, h = size
    for k in range(5):
        r = int(h * (0.18 + 0.09 * k))
        cx, cy = int(w * 0.86), int(h * 0.2)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=2)
    if label:
        fnt = font(int(h * 0.05), "bold")
        draw.rounded_rectangle(
            [
                int(w * 0.06),
                int(h * 0.1),
                int(w * 0.06) + int(draw.textlength(label, font=fnt)) + 30,
                int(h * 0.1) + int(h * 0.08),
            ],
            radius=8,
            fill=(255, 255, 255),
        )
        draw.text((int(w * 0.06) + 15, int(h * 0.11)), label, font=fnt, fill=top)
    big = font(int(h * 0.085), "bold")
    y = int(h * 0.3)
    for line in _wrap(draw, title, big, int(w * 0.86))[:4]:
        draw.text((int(w * 0.06), y), line, font=big, fill=(255, 255, 255))
        y += int(h * 0.11)
    draw.text((int(w * 0.06), int(h * 0.88)), FOOTER, font=font(int(h * 0.04)), fill=(255, 255, 255))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=86, optimize=True)
    return buf.getvalue()


def infographic(title: str, facts, steps, index: int) -> bytes:
    """A tall infographic (1080 px wide): title, the figures, the steps, the column's name."""
    top, bottom = PALETTE[index % len(PALETTE)]
    width = 1080
    height = 560 + 300 * len(facts) + 190 * len(steps) + 200
    image = Image.new("RGB", (width, height), (250, 247, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 480], fill=top)
    y = 70
    for line in _wrap(draw, title.upper(), font(64, "bold"), width - 140)[:4]:
        draw.text((70, y), line, font=font(64, "bold"), fill=(255, 255, 255))
        y += 84
    draw.text((70, 400), "NGHỊ QUYẾT 57-NQ/TW", font=font(34, "bold"), fill=(255, 230, 160))
    y = 540
    for value, label in facts:
        draw.rounded_rectangle([60, y, width - 60, y + 260], radius=28, fill=(255, 255, 255), outline=bottom, width=4)
        draw.text((100, y + 30), value, font=font(110, "bold"), fill=top)
        ly = y + 165
        for line in _wrap(draw, label, font(38), width - 220)[:2]:
            draw.text((100, ly), line, font=font(38), fill=(40, 40, 40))
            ly += 46
        y += 300
    draw.text((70, y + 10), "LÀM THẾ NÀO?", font=font(48, "bold"), fill=top)
    y += 90
    for n, step in enumerate(steps, start=1):
        draw.ellipse([70, y, 170, y + 100], fill=bottom)
        draw.text((104 if n < 10 else 92, y + 14), str(n), font=font(60, "bold"), fill=(255, 255, 255))
        sy = y + 22
        for line in _wrap(draw, step, font(40), width - 300)[:2]:
            draw.text((200, sy), line, font=font(40), fill=(30, 30, 30))
            sy += 48
        y += 190
    draw.rectangle([0, height - 120, width, height], fill=top)
    draw.text((70, height - 85), FOOTER, font=font(36), fill=(255, 255, 255))
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def podcast_cover(title: str) -> bytes:
    return cover(title, 0, size=(1400, 1400), label="PODCAST")


# --- Sound -------------------------------------------------------------------------------------


def speech_wav(text: str, rate: int = 22050) -> bytes:
    """Vietnamese speech from espeak-ng (offline); a gentle tone when espeak-ng is not installed."""
    espeak = shutil.which("espeak-ng")
    if espeak:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "speech.wav"
            subprocess.run(
                [espeak, "-v", "vi", "-s", "150", "-w", str(out), text],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=60,
            )
            return out.read_bytes()
    return tone_wav(3.0, rate)


def tone_wav(seconds: float, rate: int = 22050) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(
            b"".join(
                struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * i / rate)))
                for i in range(int(seconds * rate))
            )
        )
    return buf.getvalue()


def _read_wav(data: bytes) -> tuple[bytes, int, int]:
    with wave.open(io.BytesIO(data)) as w:
        assert w.getsampwidth() == 2, "16-bit WAV expected"
        frames = w.readframes(w.getnframes())
        if w.getnchannels() == 2:
            frames = b"".join(frames[i : i + 2] for i in range(0, len(frames), 4))
        return frames, w.getframerate(), w.getnframes()


def _audio_frames(pcm: bytes, rate: int, chunk: int = 1152):
    pts = 0
    for start in range(0, len(pcm), chunk * 2):
        piece = pcm[start : start + chunk * 2]
        samples = len(piece) // 2
        frame = av.AudioFrame(format="s16", layout="mono", samples=samples)
        frame.planes[0].update(piece + b"\0" * (frame.planes[0].buffer_size - len(piece)))
        frame.sample_rate = rate
        frame.pts = pts
        pts += samples
        yield frame


def wav_to_mp3(data: bytes, bitrate: int = 48000) -> bytes:
    """MP3 (LAME, through PyAV) from a 16-bit mono WAV: what podcast apps accept."""
    pcm, rate, _n = _read_wav(data)
    out = io.BytesIO()
    with av.open(out, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate)
        stream.layout = "mono"
        stream.bit_rate = bitrate
        for frame in _audio_frames(pcm, rate):
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def slideshow_mp4(slides: list[Image.Image], wav: bytes, fps: int = 10, size=(640, 360)) -> bytes:
    """A short H.264/AAC MP4: the slides shown in turn over the speech."""
    pcm, rate, nframes = _read_wav(wav)
    seconds = max(3.0, nframes / rate)
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
        video = container.add_stream(codec, rate=fps)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        if codec == "libx264":
            video.options = {"preset": "veryfast", "crf": "30"}
        audio = container.add_stream("aac", rate=rate)
        audio.layout = "mono"
        total = int(seconds * fps)
        per_slide = max(1, total // max(1, len(slides)))
        frames = [slide.convert("RGB").resize(size) for slide in slides]
        for i in range(total):
            frame = av.VideoFrame.from_image(frames[min(i // per_slide, len(frames) - 1)])
            frame.pts = i
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=rate)
        for frame in _audio_frames(pcm, rate, chunk=1024):
            for converted in resampler.resample(frame):
                for packet in audio.encode(converted):
                    container.mux(packet)
        for packet in audio.encode(None):
            container.mux(packet)
    return out.getvalue()


def text_slide(title: str, lines: list[str], index: int, size=(640, 360)) -> Image.Image:
    top, bottom = PALETTE[index % len(PALETTE)]
    image = _gradient(size, top, bottom)
    draw = ImageDraw.Draw(image)
    y = 30
    for line in _wrap(draw, title, font(30, "bold"), size[0] - 60)[:3]:
        draw.text((30, y), line, font=font(30, "bold"), fill=(255, 255, 255))
        y += 38
    y += 12
    for item in lines:
        for line in _wrap(draw, "• " + item, font(22), size[0] - 60)[:2]:
            draw.text((30, y), line, font=font(22), fill=(255, 255, 255))
            y += 28
    return image


# --- PDF -----------------------------------------------------------------------------------------


def pdf(title: str, subject: dict, *, slides: bool) -> bytes:
    """An e-handbook (A5 portrait) or a slide deck (16:9 landscape) with Vietnamese text (fpdf2)."""
    from fpdf import FPDF  # noqa: PLC0415 — takes ~0.6 s to import, only for the demo

    regular, bold = font_path("regular"), font_path("bold")
    if slides:
        doc = FPDF(orientation="L", unit="mm", format=(135, 240))
    else:
        doc = FPDF(orientation="P", unit="mm", format=(148, 210))
    doc.set_auto_page_break(True, margin=14)
    doc.add_font("Body", "", regular)
    doc.add_font("Body", "B", bold)
    doc.set_title(title)
    doc.set_author("UBND xã Nam Cường")

    def heading(text, size):
        doc.set_font("Body", "B", size)
        doc.multi_cell(0, size * 0.55, text)
        doc.ln(2)

    def body(text, size):
        doc.set_font("Body", "", size)
        doc.multi_cell(0, size * 0.5, text)
        doc.ln(2)

    if slides:
        doc.add_page()
        doc.set_fill_color(143, 20, 20)
        doc.rect(0, 0, 240, 135, "F")
        doc.set_text_color(255, 255, 255)
        doc.set_xy(15, 40)
        heading(title, 22)
        body(FOOTER, 12)
        doc.set_text_color(20, 20, 20)
        for head, items in [
            ("Vì sao?", [subject["summary"]]),
            ("Con số", [f"{v}: {label}" for v, label in subject["facts"]]),
            ("Làm thế nào?", [f"{n}. {s}" for n, s in enumerate(subject["steps"], 1)]),
            ("Ghi nhớ", [f"“{subject['quote'][0]}” — {subject['quote'][1]}"]),
        ]:
            doc.add_page()
            doc.set_xy(15, 15)
            heading(head, 24)
            for item in items:
                body(item, 15)
    else:
        doc.add_page()
        heading(title, 16)
        body(FOOTER, 9)
        body(subject["summary"], 11)
        for n, para in enumerate(subject["paras"], start=1):
            heading(f"{n}. " + textwrap.shorten(para, 60, placeholder="…"), 11)
            body(para, 10)
        doc.add_page()
        heading("Những con số cần nhớ", 13)
        for value, label in subject["facts"]:
            body(f"{value} — {label}", 11)
        heading("Các bước thực hiện", 13)
        for n, step in enumerate(subject["steps"], start=1):
            body(f"Bước {n}: {step}", 11)
        heading("Hỏi đáp", 13)
        body(
            "Mọi góp ý, câu hỏi xin gửi qua chuyên mục Nghị quyết 57 trên trang thông tin điện tử của xã "
            "hoặc trực tiếp tại Trung tâm Phục vụ hành chính công xã.",
            10,
        )
    return bytes(doc.output())
