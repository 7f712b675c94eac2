"""Benchmark of the radio's speech chain: a 500-word bulletin normalised, synthesised and encoded to MP3.

Prints the time of each step, the audio length, the real-time factor (synthesis time ÷ audio length,
target under 0.05 with the default engine espeak-ng) and the peak memory (resident set) of the process
and of the espeak-ng processes it ran. The last line is a one-line summary.

    .venv/bin/python bench/tts.py [--engine espeak-ng|piper] [--words 500] [--out /tmp/bench.mp3]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantoa.settings")

TARGET_RTF = 0.05

# Sentences of the kind a commune bulletin reads (from the Nam Cường plan and its reports), with the figures,
# dates and abbreviations the normaliser must read.
SENTENCES = [
    "Thực hiện Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ, UBND xã Nam Cường ban hành Kế "
    "hoạch truyền thông thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.",
    "Năm 2026, ít nhất 10% người dân tiếp cận thông tin định hướng của Đảng và Nhà nước về phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia thông qua hệ thống thông tin cơ sở.",
    "Đến năm 2030, 100% các nhiệm vụ KH&CN có sử dụng NSNN được truyền thông, phổ biến rộng rãi.",
    "Trung tâm PVHCC phối hợp với Sở KH&CN tổ chức tập huấn cho 45 cán bộ, công chức vào ngày 18/5.",
    "Tổ công nghệ số cộng đồng của 12 thôn đã đến 1.234 hộ gia đình, hướng dẫn cài đặt VNeID và dịch vụ công "
    "trực tuyến; tỷ lệ hộ được tiếp cận đạt 35,5%.",
    "Hệ thống truyền thanh cơ sở phát bản tin lúc 5 giờ 30 và 17 giờ hằng ngày, từ thứ Hai đến Chủ nhật.",
    "Ngày Chuyển đổi số quốc gia 10/10 năm nay, UBMTTQ xã và Đoàn thanh niên tổ chức ngày hội Bình dân học vụ số.",
    "Kinh phí thực hiện Kế hoạch năm 2026 dự kiến 250.000.000 đồng, bảo đảm từ nguồn ngân sách nhà nước.",
]


def bulletin(words: int) -> str:
    out, count, i = [], 0, 0
    while count < words:
        sentence = SENTENCES[i % len(SENTENCES)]
        out.append(sentence)
        count += len(sentence.split())
        i += 1
        if i % 4 == 0:
            out.append("\n\n")
    return " ".join(out).replace(" \n\n ", "\n\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["espeak-ng", "piper"], default=None)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    import django

    django.setup()
    from lantoa.radio.speech import audio
    from lantoa.radio.speech.engines import Voice, get_engine
    from lantoa.radio.speech.normalize import normalize

    text = bulletin(args.words)
    word_count = len(text.split())
    t0 = time.perf_counter()
    spoken = normalize(text)
    t1 = time.perf_counter()
    engine = get_engine(args.engine)
    voice = Voice()
    samples, rate = engine.synthesize(spoken, voice)
    t2 = time.perf_counter()
    mastered = audio.master(samples, rate)
    t3 = time.perf_counter()
    if args.out:
        args.out.write_bytes(mastered.mp3)

    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB on Linux
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    total = t3 - t0
    length = mastered.duration_seconds
    rtf = total / length
    print(f"engine           {engine.describe(voice)}")
    print(f"text             {word_count} words, {len(text)} characters; read as {len(spoken.split())} words")
    print(f"normalise        {t1 - t0:8.3f} s")
    print(f"synthesise       {t2 - t1:8.3f} s")
    print(
        f"master + MP3     {t3 - t2:8.3f} s  (loudness {mastered.loudness_lufs:.1f} LUFS, peak "
        f"{mastered.peak_dbfs:.1f} dBFS, {len(mastered.mp3)} bytes, {mastered.bitrate_kbps} kbps mono "
        f"{mastered.sample_rate} Hz)"
    )
    print(f"total            {total:8.3f} s for {length:.1f} s of audio ({length / 60:.1f} min)")
    print(f"real-time factor {rtf:8.4f}  (target < {TARGET_RTF}; ratio to target {rtf / TARGET_RTF:.2f})")
    print(
        f"peak memory      {self_rss:.0f} MiB resident (this process, Django loaded); child processes "
        f"{child_rss:.0f} MiB (ru_maxrss of espeak-ng, counted from the fork)"
    )
    verdict = "OK" if rtf < TARGET_RTF else "TOO SLOW"
    print(
        f"tts: {word_count} words -> {length:.0f} s MP3 in {total:.2f} s, RTF {rtf:.4f} "
        f"({rtf / TARGET_RTF:.2f}x of target {TARGET_RTF}), peak RSS {self_rss:.0f} MiB: {verdict}"
    )


if __name__ == "__main__":
    main()
