"""Speech synthesis engines behind one interface.

* ``EspeakEngine`` — the default: espeak-ng's Vietnamese voices (northern ``vi``, central
  ``vi-vn-x-central``, southern ``vi-vn-x-south``) from the Debian package ``espeak-ng``.
  Works offline from packages alone; robotic but clear, and very fast.
* ``PiperEngine`` — a neural voice (Piper, ``pip install piper-tts``) read from a local model
  folder that the operator fills (``LANTOA_TTS_MODEL_DIR`` holding ``<voice>.onnx`` and
  ``<voice>.onnx.json``). Nothing is ever downloaded: without a model, it is not offered.

``get_engine()`` picks Piper when a model is configured and loadable, else espeak-ng.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from django.conf import settings

logger = logging.getLogger("lantoa.radio")

VARIANTS = ("north", "central", "south")
DEFAULT_SPEED = 150  # words per minute; loudspeakers in the open need slower than espeak's 175
MIN_SPEED, MAX_SPEED = 80, 260
PARAGRAPH_PAUSE_S = 0.6

Progress = Callable[[float], None]


class EngineUnavailable(Exception):
    """The engine cannot run here (binary or model missing); ``code`` names why."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Voice:
    variant: str = "north"
    speed: int = DEFAULT_SPEED


def split_text(text: str, limit: int = 500) -> list[list[str]]:
    """Paragraphs, each cut into chunks of whole sentences of at most ``limit`` characters."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        chunks, current = [], ""
        for sentence in re.split(r"(?<=[.!?…;])\s+", paragraph):
            if current and len(current) + len(sentence) + 1 > limit:
                chunks.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            chunks.append(current)
        paragraphs.append(chunks)
    return paragraphs


class Engine(ABC):
    name: str = ""

    @abstractmethod
    def synthesize(self, text: str, voice: Voice, progress: Progress | None = None) -> tuple[np.ndarray, int]:
        """Mono float samples in [-1, 1] and their sample rate."""

    def describe(self, voice: Voice) -> str:
        return self.name


class EspeakEngine(Engine):
    name = "espeak-ng"
    VOICES = {"north": "vi", "central": "vi-vn-x-central", "south": "vi-vn-x-south"}
    RATE = 22050

    def __init__(self, binary: str | None = None, workers: int | None = None):
        self.binary = binary or getattr(settings, "LANTOA_ESPEAK_BIN", "") or shutil.which("espeak-ng")
        self.workers = workers or min(4, os.cpu_count() or 1)

    def available(self) -> bool:
        return bool(self.binary) and Path(self.binary).exists()

    def describe(self, voice: Voice) -> str:
        return f"espeak-ng {self.VOICES.get(voice.variant, 'vi')} {voice.speed}"

    def _run(self, chunk: str, voice: Voice) -> np.ndarray:
        speed = max(MIN_SPEED, min(MAX_SPEED, int(voice.speed)))
        cmd = [self.binary, "-v", self.VOICES.get(voice.variant, "vi"), "-s", str(speed), "-g", "2", "--stdout"]
        try:
            done = subprocess.run(cmd, input=chunk.encode("utf-8"), capture_output=True, timeout=120, check=True)
        except FileNotFoundError as exc:
            raise EngineUnavailable("espeak_missing", str(exc)) from exc
        except subprocess.CalledProcessError as exc:
            raise EngineUnavailable("espeak_failed", exc.stderr.decode("utf-8", "replace")[:300]) from exc
        except subprocess.TimeoutExpired as exc:
            raise EngineUnavailable("espeak_timeout", str(exc)) from exc
        return _wav_samples(done.stdout)

    def synthesize(self, text, voice, progress=None):
        if not self.available():
            raise EngineUnavailable("espeak_missing", "espeak-ng not found")
        paragraphs = split_text(text)
        jobs = [(p, c) for p, chunks in enumerate(paragraphs) for c in chunks]
        if not jobs:
            return np.zeros(0, dtype=np.float32), self.RATE
        results: list[np.ndarray | None] = [None] * len(jobs)
        done = 0
        # espeak-ng runs as one process per chunk: the chunks of a long bulletin use every core.
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = {pool.submit(self._run, chunk, voice): i for i, (_p, chunk) in enumerate(jobs)}
            for future in futures:
                results[futures[future]] = future.result()
                done += 1
                if progress:
                    progress(done / len(jobs))
        pause = np.zeros(int(PARAGRAPH_PAUSE_S * self.RATE), dtype=np.float32)
        parts: list[np.ndarray] = []
        for i, (paragraph, _chunk) in enumerate(jobs):
            if i and paragraph != jobs[i - 1][0]:
                parts.append(pause)
            parts.append(results[i])
        return np.concatenate(parts), self.RATE


def _wav_samples(data: bytes) -> np.ndarray:
    """Samples of espeak-ng's streamed WAV (its header sizes are placeholders, so read to the end)."""
    at = data.find(b"data")
    if data[:4] != b"RIFF" or at < 0:
        raise EngineUnavailable("espeak_failed", "no WAV output")
    pcm = data[at + 8 :]
    pcm = pcm[: len(pcm) // 2 * 2]
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


class PiperEngine(Engine):
    """A Piper voice from a local model folder. Imported lazily: piper-tts is optional."""

    name = "piper"

    def __init__(self, model_path: Path):
        self.model_path = Path(model_path)
        self._voice = None

    @classmethod
    def find_model(cls, folder: str | os.PathLike | None) -> Path | None:
        """The first ``*.onnx`` of the folder that has its ``.onnx.json`` beside it."""
        if not folder:
            return None
        folder = Path(folder)
        if not folder.is_dir():
            return None
        for model in sorted(folder.glob("*.onnx")):
            if model.with_name(model.name + ".json").exists():
                return model
        return None

    def describe(self, voice: Voice) -> str:
        return f"piper {self.model_path.stem} {voice.speed}"

    def load(self):
        if self._voice is None:
            try:
                from piper import PiperVoice  # noqa: PLC0415 — piper-tts is an optional engine, not a dependency
            except ImportError as exc:
                raise EngineUnavailable("piper_missing", str(exc)) from exc
            try:
                self._voice = PiperVoice.load(self.model_path)
            except Exception as exc:  # a corrupt or incompatible model
                raise EngineUnavailable("piper_model", f"{self.model_path.name}: {exc}") from exc
        return self._voice

    def synthesize(self, text, voice, progress=None):
        piper_voice = self.load()
        from piper import SynthesisConfig  # noqa: PLC0415 — piper-tts is optional; load() above found it

        # Piper's length_scale is the inverse of speed; 150 words per minute is its natural pace.
        config = SynthesisConfig(length_scale=DEFAULT_SPEED / max(MIN_SPEED, min(MAX_SPEED, int(voice.speed))))
        rate = piper_voice.config.sample_rate
        paragraphs = split_text(text)
        total = sum(len(p) for p in paragraphs) or 1
        done = 0
        parts: list[np.ndarray] = []
        pause = np.zeros(int(PARAGRAPH_PAUSE_S * rate), dtype=np.float32)
        for index, chunks in enumerate(paragraphs):
            if index:
                parts.append(pause)
            for chunk in chunks:
                try:
                    for audio in piper_voice.synthesize(chunk, syn_config=config):
                        parts.append(np.asarray(audio.audio_float_array, dtype=np.float32).reshape(-1))
                except Exception as exc:
                    raise EngineUnavailable("piper_failed", str(exc)[:300]) from exc
                done += 1
                if progress:
                    progress(done / total)
        if not parts:
            return np.zeros(0, dtype=np.float32), rate
        return np.concatenate(parts), rate


def piper_installed() -> bool:
    return find_spec("piper") is not None and find_spec("onnxruntime") is not None


def get_engine(name: str | None = None) -> Engine:
    """The engine to use: ``name`` if given ("espeak-ng" or "piper"), else Piper when a model is configured."""
    model = PiperEngine.find_model(
        getattr(settings, "LANTOA_TTS_MODEL_DIR", "") or os.environ.get("LANTOA_TTS_MODEL_DIR")
    )
    if name == "piper" or (name is None and model is not None):
        if model is None:
            raise EngineUnavailable("piper_no_model", str(getattr(settings, "LANTOA_TTS_MODEL_DIR", "")))
        if not piper_installed():
            raise EngineUnavailable("piper_missing", "piper-tts")
        return PiperEngine(model)
    return EspeakEngine()
