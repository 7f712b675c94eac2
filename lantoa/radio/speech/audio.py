"""Audio for the loudspeakers: loudness to about −16 LUFS, peaks under −1 dBFS, MP3 64 kbps mono.

Every bulletin, synthesised or recorded, leaves here in the same format so that a controller
plays them one after another at the same level. Loudness is measured by ITU-R BS.1770-4
(our streaming implementation, checked against pyloudnorm in the tests); decoding of recordings uses
PyAV (FFmpeg's libraries, shipped in its wheel).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import av
import lameenc
import numpy as np

SAMPLE_RATE = 44100  # MPEG-1 Layer III: what podcast apps and IP loudspeaker controllers all play
BITRATE_KBPS = 64
TARGET_LUFS = -16.0
PEAK_CEILING_DBFS = -1.0
SILENCE_DBFS = -50.0
LEAD_IN_S, TAIL_S = 0.3, 0.6

# Containers a recording may come in (FFmpeg's demuxer names): phones record m4a/3gp/amr, browsers webm/ogg.
ACCEPTED_CONTAINERS = {
    "mp3",
    "wav",
    "ogg",
    "flac",
    "aac",
    "amr",
    "matroska,webm",
    "mov,mp4,m4a,3gp,3g2,mj2",
    "aiff",
    "caf",
}


class AudioError(Exception):
    """A recording that is not usable audio; the message is for the user."""


@dataclass(frozen=True)
class Mastered:
    mp3: bytes
    duration_seconds: float
    loudness_lufs: float
    peak_dbfs: float
    sample_rate: int = SAMPLE_RATE
    bitrate_kbps: int = BITRATE_KBPS


@dataclass(frozen=True)
class Probe:
    container: str
    codec: str
    duration_seconds: float
    sample_rate: int
    channels: int


def db(value: float) -> float:
    return 20 * math.log10(max(value, 1e-12))


def resample(samples: np.ndarray, rate_from: int, rate_to: int) -> np.ndarray:
    if rate_from == rate_to or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    from scipy.signal import resample_poly  # noqa: PLC0415 — scipy costs ~1 s to import; no web request needs it

    g = math.gcd(rate_from, rate_to)
    return resample_poly(samples, rate_to // g, rate_from // g).astype(np.float32)


def _k_weighting(rate: int) -> np.ndarray:
    """The two biquads of the BS.1770 K-weighting (high shelf +4 dB at 1.5 kHz, high-pass at 38 Hz), as SOS.

    Coefficients by the RBJ cookbook at any sample rate, as pyloudnorm computes them.
    """
    sections = []
    for gain_db, q, fc, kind in ((4.0, 1 / math.sqrt(2), 1500.0, "high_shelf"), (0.0, 0.5, 38.0, "high_pass")):
        a_ = 10 ** (gain_db / 40)
        w0 = 2 * math.pi * fc / rate
        alpha, cos = math.sin(w0) / (2 * q), math.cos(w0)
        if kind == "high_shelf":
            sq = 2 * math.sqrt(a_) * alpha
            b = [
                a_ * ((a_ + 1) + (a_ - 1) * cos + sq),
                -2 * a_ * ((a_ - 1) + (a_ + 1) * cos),
                a_ * ((a_ + 1) + (a_ - 1) * cos - sq),
            ]
            a = [(a_ + 1) - (a_ - 1) * cos + sq, 2 * ((a_ - 1) - (a_ + 1) * cos), (a_ + 1) - (a_ - 1) * cos - sq]
        else:
            b = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
            a = [1 + alpha, -2 * cos, 1 - alpha]
        sections.append([v / a[0] for v in b] + [1.0] + [v / a[0] for v in a[1:]])
    return np.array(sections)


def loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS by ITU-R BS.1770-4 (mono), −inf for silence.

    Streams the signal in chunks: K-weighting, mean squares per 100 ms, gating blocks of 400 ms with 75 %
    overlap, absolute gate −70 LUFS, relative gate −10 LU. Memory stays a few MB whatever the length
    (pyloudnorm, used by the tests as the reference, needs several float64 copies of the whole signal).
    """
    from scipy.signal import sosfilt, sosfilt_zi  # noqa: PLC0415 — scipy costs ~1 s to import; no web request needs it

    samples = np.asarray(samples).reshape(-1)
    hop = int(round(0.1 * rate))
    if samples.size < 4 * hop:
        samples = np.pad(samples.astype(np.float32), (0, 4 * hop - samples.size))
    sos = _k_weighting(rate)
    state = sosfilt_zi(sos) * 0.0
    chunk = hop * 300  # 30 s
    sums: list[np.ndarray] = []
    usable = samples.size // hop * hop
    for begin in range(0, usable, chunk):
        part = samples[begin : min(begin + chunk, usable)].astype(np.float64)
        filtered, state = sosfilt(sos, part, zi=state)
        sums.append(np.square(filtered).reshape(-1, hop).sum(axis=1))
    sub = np.concatenate(sums)
    blocks = (sub[:-3] + sub[1:-2] + sub[2:-1] + sub[3:]) / (4 * hop) if sub.size >= 4 else sub[:0]
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(blocks)
    gated = blocks[levels > -70.0]
    if gated.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * math.log10(gated.mean()) - 10.0
    final = blocks[(levels > -70.0) & (levels > relative)]
    return float(-0.691 + 10 * math.log10(final.mean())) if final.size else float("-inf")


def trim_silence(samples: np.ndarray, rate: int, threshold_dbfs: float = SILENCE_DBFS) -> np.ndarray:
    """Cut leading and trailing silence, keep a short lead-in and tail."""
    if samples.size == 0:
        return samples
    loud = np.flatnonzero(np.abs(samples) > 10 ** (threshold_dbfs / 20))
    if loud.size == 0:
        return samples[:0]
    start = max(0, loud[0] - int(0.05 * rate))
    end = min(samples.size, loud[-1] + int(0.1 * rate))
    lead = np.zeros(int(LEAD_IN_S * rate), dtype=np.float32)
    tail = np.zeros(int(TAIL_S * rate), dtype=np.float32)
    return np.concatenate([lead, samples[start:end].astype(np.float32), tail])


def limit_peaks(samples: np.ndarray, rate: int, ceiling_dbfs: float = PEAK_CEILING_DBFS) -> np.ndarray:
    """A look-ahead peak limiter in blocks of 5 ms: the gain never exceeds what any nearby block needs.

    The gain needed by each block is held over ±20 ms (minimum filter), then smoothed by a 5-block moving
    average — which stays under the need of every block it covers — and interpolated between block centres.
    """
    from scipy.ndimage import minimum_filter1d  # noqa: PLC0415 — scipy costs ~1 s to import; no web request needs it

    ceiling = 10 ** (ceiling_dbfs / 20)
    samples = np.asarray(samples, dtype=np.float32)
    if samples.size == 0 or float(np.max(np.abs(samples))) <= ceiling:
        return samples
    block = max(1, int(0.005 * rate))
    count = math.ceil(samples.size / block)
    padded = np.zeros(count * block, dtype=np.float32)
    np.abs(samples, out=padded[: samples.size])
    peaks = padded.reshape(count, block).max(axis=1)
    del padded
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    held = minimum_filter1d(needed, size=9, mode="nearest")
    smooth = np.convolve(np.pad(held, 2, mode="edge"), np.ones(5) / 5, mode="valid")
    centres = (np.arange(count) + 0.5) * block
    out = np.empty_like(samples)
    step = block * 20000  # ~100 s at a time: no float64 copy of the whole signal
    for begin in range(0, samples.size, step):
        end = min(begin + step, samples.size)
        gain = np.interp(np.arange(begin, end), centres, smooth).astype(np.float32)
        np.multiply(samples[begin:end], gain, out=out[begin:end])
    np.clip(out, -ceiling, ceiling, out=out)
    return out


def master(samples: np.ndarray, rate: int, *, target_lufs: float = TARGET_LUFS) -> Mastered:
    """Mono float samples at any rate → trimmed, loudness-normalised, limited MP3 at 44.1 kHz, 64 kbps."""
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    samples = trim_silence(resample(samples, rate, SAMPLE_RATE), SAMPLE_RATE)
    if samples.size == 0 or float(np.max(np.abs(samples))) < 10 ** (SILENCE_DBFS / 20):
        raise AudioError("silent")
    for _attempt in range(6):
        measured = loudness(samples, SAMPLE_RATE)
        if not math.isfinite(measured):
            raise AudioError("silent")
        if abs(measured - target_lufs) < 0.2:
            break
        samples *= np.float32(10 ** ((target_lufs - measured) / 20))
        samples = limit_peaks(samples, SAMPLE_RATE)
    final = loudness(samples, SAMPLE_RATE)
    mp3 = encode_mp3(samples, SAMPLE_RATE)
    return Mastered(
        mp3=mp3,
        duration_seconds=round(samples.size / SAMPLE_RATE, 3),
        loudness_lufs=round(final, 2),
        peak_dbfs=round(db(float(np.max(np.abs(samples)))), 2),
    )


def encode_mp3(samples: np.ndarray, rate: int = SAMPLE_RATE, bitrate_kbps: int = BITRATE_KBPS) -> bytes:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    return bytes(encoder.encode(pcm) + encoder.flush())


def probe(fileobj, *, max_seconds: float) -> Probe:
    """Check that a file is audio by its content (FFmpeg must recognise and decode it), not by its name."""
    fileobj.seek(0)
    try:
        with av.open(fileobj, mode="r", metadata_errors="ignore") as container:
            streams = [s for s in container.streams if s.type == "audio"]
            if not streams or container.format.name not in ACCEPTED_CONTAINERS:
                raise AudioError("not_audio")
            stream = streams[0]
            duration = 0.0
            if container.duration:
                duration = container.duration / av.time_base
            elif stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            decoded = 0.0
            for frame in container.decode(stream):  # decode a few seconds: a renamed file fails here
                decoded += frame.samples / (frame.sample_rate or 1)
                if decoded >= 2.0:
                    break
            if decoded <= 0:
                raise AudioError("not_audio")
            if duration > max_seconds:
                raise AudioError("too_long")
            return Probe(
                container.format.name,
                stream.codec_context.name,
                duration or decoded,
                stream.codec_context.sample_rate or 0,
                stream.codec_context.channels or 0,
            )
    except AudioError:
        raise
    except Exception as exc:  # FFmpeg says it is not something it can read
        raise AudioError("not_audio") from exc
    finally:
        fileobj.seek(0)


def decode(fileobj, rate: int = SAMPLE_RATE, *, max_seconds: float | None = None) -> np.ndarray:
    """Decode any accepted recording to mono float samples at ``rate``."""
    fileobj.seek(0)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(fileobj, mode="r", metadata_errors="ignore") as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise AudioError("not_audio")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if max_seconds and total > max_seconds * rate:
                    raise AudioError("too_long")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioError:
        raise
    except Exception as exc:
        raise AudioError("not_audio") from exc
    if not chunks:
        raise AudioError("not_audio")
    return np.concatenate(chunks).astype(np.float32)


def read_back(data: bytes) -> dict:
    """What a player sees in an MP3: duration, bitrate, rate, channels, loudness, peak (for tests and checks)."""
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.audio[0]
        info = {
            "codec": stream.codec_context.name,
            "sample_rate": stream.codec_context.sample_rate,
            "channels": stream.codec_context.channels,
            "bitrate_kbps": round((stream.bit_rate or 0) / 1000),
            "container_duration": (container.duration or 0) / av.time_base,
        }
    samples = decode(io.BytesIO(data), info["sample_rate"])
    info.update(
        duration_seconds=samples.size / info["sample_rate"],
        loudness_lufs=loudness(samples, info["sample_rate"]),
        peak_dbfs=db(float(np.max(np.abs(samples))) if samples.size else 0.0),
    )
    return info
