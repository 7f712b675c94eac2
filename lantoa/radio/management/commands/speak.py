"""Read a text aloud as the commune radio would: normalise it, synthesise it, write the MP3.

manage.py speak --text "Nghị quyết số 57-NQ/TW ngày 22/12/2024" --normalize-only
manage.py speak --text "…" --out ban-tin.mp3 [--voice north|central|south] [--speed 150] [--commune 2026]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantoa.radio.selectors import abbreviations
from lantoa.radio.speech import audio
from lantoa.radio.speech.engines import VARIANTS, EngineUnavailable, Voice, get_engine
from lantoa.radio.speech.normalize import Normalizer
from lantoa.tenancy.models import Commune


class Command(BaseCommand):
    help = "Normalise a Vietnamese text for speech and synthesise it to MP3 (64 kbps mono, −16 LUFS)."

    def add_arguments(self, parser):
        parser.add_argument("--text", help="the text; '-' or absent reads standard input")
        parser.add_argument("--file", type=Path, help="read the text from this file")
        parser.add_argument("--normalize-only", action="store_true", help="print the text as read and stop")
        parser.add_argument("--out", type=Path, help="the MP3 file to write")
        parser.add_argument("--voice", choices=VARIANTS, default="north")
        parser.add_argument("--speed", type=int, default=150, help="words per minute (80–260)")
        parser.add_argument("--engine", choices=["espeak-ng", "piper"], help="default: piper if a model is configured")
        parser.add_argument("--commune", type=int, help="commune code: use its own abbreviations too")

    def handle(self, *args, **options):
        if options["file"]:
            text = Path(options["file"]).read_text(encoding="utf-8")
        elif options["text"] and options["text"] != "-":
            text = options["text"]
        else:
            text = sys.stdin.read()
        if not text.strip():
            raise CommandError("no text")
        extra = {}
        if options["commune"]:
            commune = Commune.objects.filter(code=options["commune"]).first()
            if commune is None:
                raise CommandError(f"no commune with code {options['commune']}")
            extra = abbreviations(commune)
        spoken = Normalizer(extra).normalize(text)
        if options["normalize_only"]:
            self.stdout.write(spoken)
            return
        if not options["out"]:
            raise CommandError("give --out FILE.mp3 (or --normalize-only)")
        try:
            engine = get_engine(options["engine"])
            voice = Voice(variant=options["voice"], speed=options["speed"])
            started = time.perf_counter()
            samples, rate = engine.synthesize(spoken, voice)
            mastered = audio.master(samples, rate)
        except EngineUnavailable as exc:
            raise CommandError(f"voice engine unavailable: {exc}") from exc
        except audio.AudioError as exc:
            raise CommandError(f"no audio: {exc}") from exc
        elapsed = time.perf_counter() - started
        target = Path(options["out"])
        target.write_bytes(mastered.mp3)
        self.stdout.write(
            f"{target}: {mastered.duration_seconds:.1f} s, {len(mastered.mp3)} bytes, "
            f"{mastered.bitrate_kbps} kbps mono {mastered.sample_rate} Hz, {mastered.loudness_lufs:.1f} LUFS, "
            f"peak {mastered.peak_dbfs:.1f} dBFS, {engine.describe(voice)}, {elapsed:.2f} s"
        )
