"""Synthesis engines and the broadcast audio format, checked on real files read back."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from lantoa.radio.speech import audio
from lantoa.radio.speech.engines import EngineUnavailable, EspeakEngine, PiperEngine, Voice, get_engine, split_text
from lantoa.radio.speech.normalize import normalize

from .fake_piper import write_fake_voice

TEXT = normalize(
    "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, năm 2026 ít nhất 10% người dân "
    "tiếp cận thông tin qua hệ thống truyền thanh cơ sở.\n\nMời bà con đón nghe lúc 5:30 và 17:00."
)


def speechlike(seconds: float = 3.0, rate: int = 44100) -> np.ndarray:
    """A voiced, syllable-modulated signal (harmonics of 140 Hz, 4 syllables a second)."""
    t = np.arange(int(seconds * rate)) / rate
    voice = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12))
    envelope = np.clip(np.sin(2 * np.pi * 2 * t), 0, None) ** 2
    return (0.3 * voice * envelope).astype(np.float32)


def wav_bytes(samples: np.ndarray, rate: int = 44100) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def encode_with_ffmpeg(samples: np.ndarray, container: str, codec: str, rate: int = 44100) -> bytes:
    """A recording as a phone or a browser makes it (m4a/AAC, ogg/Opus…), through PyAV."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format=container) as out:
        stream = out.add_stream(codec, rate=48000 if codec == "libopus" else rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(
            format=stream.codec_context.format.name, layout="mono", rate=stream.codec_context.sample_rate
        )
        for part in resampler.resample(frame):
            for packet in stream.encode(part):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


@pytest.fixture(scope="module")
def espeak_mp3():
    samples, rate = EspeakEngine().synthesize(TEXT, Voice())
    return audio.master(samples, rate)


def test_espeak_output_is_broadcast_mp3(espeak_mp3):
    info = audio.read_back(espeak_mp3.mp3)
    assert info["codec"].startswith("mp3") and info["channels"] == 1 and info["sample_rate"] == 44100
    assert info["bitrate_kbps"] == 64
    assert abs(info["duration_seconds"] - espeak_mp3.duration_seconds) < 0.2
    assert 8 < espeak_mp3.duration_seconds < 40
    assert -17.0 <= info["loudness_lufs"] <= -15.0, info
    assert info["peak_dbfs"] <= -0.3
    # 64 kbps: the size follows the duration.
    assert abs(len(espeak_mp3.mp3) - espeak_mp3.duration_seconds * 8000) < 8000


def test_espeak_output_is_speech_not_silence(espeak_mp3):
    samples = audio.decode(io.BytesIO(espeak_mp3.mp3))
    frames = samples[: samples.size // 441 * 441].reshape(-1, 441)  # 10 ms
    energy = 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-9)
    voiced = (energy > -40).mean()
    assert 0.4 < voiced < 0.95  # syllables and pauses, as speech has
    spectrum = np.abs(np.fft.rfft(samples[: 44100 * 4]))
    freqs = np.fft.rfftfreq(44100 * 4, 1 / 44100)
    band = spectrum[(freqs > 100) & (freqs < 4000)].sum() / spectrum.sum()
    assert band > 0.6  # the energy of a voice lies in its formant band


def test_voices_and_speed():
    engine = EspeakEngine()
    text = "Ít nhất mười phần trăm người dân tiếp cận thông tin."
    outputs = {v: engine.synthesize(text, Voice(variant=v))[0] for v in ("north", "central", "south")}
    assert len({o.size for o in outputs.values()}) > 1 or not np.array_equal(outputs["north"], outputs["south"])
    slow = engine.synthesize(text, Voice(speed=110))[0].size
    fast = engine.synthesize(text, Voice(speed=220))[0].size
    assert slow > fast * 1.5
    assert "vi-vn-x-south" in engine.describe(Voice(variant="south"))


def test_split_keeps_paragraphs_and_sentences():
    parts = split_text("Câu một. Câu hai.\n\nĐoạn hai." + " Câu dài." * 100, limit=120)
    assert parts[0] == ["Câu một. Câu hai."]
    assert all(len(c) <= 120 for c in parts[1]) and len(parts[1]) > 3


def test_missing_espeak_is_reported():
    with pytest.raises(EngineUnavailable) as caught:
        EspeakEngine(binary="/nonexistent/espeak-ng").synthesize("xin chào", Voice())
    assert caught.value.code == "espeak_missing"


def test_limiter_keeps_peaks_under_the_ceiling_without_touching_quiet_parts():
    rate = 44100
    quiet = speechlike(1.0) * 0.2
    loud = speechlike(1.0) * 3
    limited = audio.limit_peaks(np.concatenate([quiet, loud]), rate, -1.0)
    assert np.max(np.abs(limited)) <= 10 ** (-1 / 20) + 1e-6
    assert np.allclose(limited[: rate // 2], quiet[: rate // 2])


def test_silence_is_refused():
    with pytest.raises(audio.AudioError, match="silent"):
        audio.master(np.zeros(44100, dtype=np.float32), 44100)


@pytest.mark.parametrize("container,codec", [("ipod", "aac"), ("ogg", "libopus"), ("wav", "pcm_s16le")])
def test_recordings_from_phones_and_browsers_are_read(container, codec):
    data = encode_with_ffmpeg(speechlike(3.0), container, codec)
    info = audio.probe(io.BytesIO(data), max_seconds=600)
    assert info.duration_seconds == pytest.approx(3.0, abs=0.2)
    mastered = audio.master(audio.decode(io.BytesIO(data)), audio.SAMPLE_RATE)
    assert audio.read_back(mastered.mp3)["bitrate_kbps"] == 64
    assert mastered.loudness_lufs == pytest.approx(-16, abs=0.5)


@pytest.mark.parametrize(
    "data", [b"ID3" + b"not really audio " * 200, b"%PDF-1.4 " * 100, b"\x00" * 4096, "Bản tin".encode() * 300]
)
def test_files_that_are_not_audio_are_refused_by_their_content(data):
    with pytest.raises(audio.AudioError, match="not_audio"):
        audio.probe(io.BytesIO(data), max_seconds=600)


def test_too_long_recordings_are_refused():
    data = wav_bytes(speechlike(3.0))
    with pytest.raises(audio.AudioError, match="too_long"):
        audio.probe(io.BytesIO(data), max_seconds=2)


# --- Engine selection and the Piper engine (with a tiny ONNX model made here) -----------------------------


def test_espeak_is_the_default(settings, tmp_path):
    settings.LANTOA_TTS_MODEL_DIR = ""
    assert isinstance(get_engine(), EspeakEngine)
    settings.LANTOA_TTS_MODEL_DIR = str(tmp_path)  # a folder without a model
    assert isinstance(get_engine(), EspeakEngine)
    (tmp_path / "lonely.onnx").write_bytes(b"x")  # a model without its config is no voice
    assert isinstance(get_engine(), EspeakEngine)
    with pytest.raises(EngineUnavailable) as caught:
        get_engine("piper")
    assert caught.value.code == "piper_no_model"


def test_a_piper_voice_in_the_model_folder_is_used(settings, tmp_path):
    write_fake_voice(tmp_path)
    settings.LANTOA_TTS_MODEL_DIR = str(tmp_path)
    engine = get_engine()
    assert isinstance(engine, PiperEngine) and engine.model_path.name == "vi_VN-test-low.onnx"
    assert isinstance(get_engine("espeak-ng"), EspeakEngine)  # still available on demand
    progress = []
    samples, rate = engine.synthesize(
        "Xin chào bà con.\n\nMời nghe bản tin.", Voice(speed=150), progress=progress.append
    )
    assert rate == 22050 and samples.size > 1000 and progress[-1] == 1
    slower = engine.synthesize("Xin chào bà con.", Voice(speed=100))[0].size
    assert slower > 0
    mastered = audio.master(samples, rate)
    assert audio.read_back(mastered.mp3)["sample_rate"] == 44100


def test_a_broken_piper_model_is_reported(settings, tmp_path):
    (tmp_path / "broken.onnx").write_bytes(b"not a model")
    (tmp_path / "broken.onnx.json").write_text("{}")
    settings.LANTOA_TTS_MODEL_DIR = str(tmp_path)
    with pytest.raises(EngineUnavailable) as caught:
        get_engine().synthesize("xin chào", Voice())
    assert caught.value.code == "piper_model"


@pytest.mark.parametrize("rate", [16000, 22050, 44100, 48000])
def test_our_bs1770_meter_agrees_with_pyloudnorm(rate, espeak_mp3):
    import pyloudnorm

    signals = [speechlike(5.0, rate), audio.decode(io.BytesIO(espeak_mp3.mp3), rate)]
    for samples in signals:
        reference = pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64))
        assert audio.loudness(samples, rate) == pytest.approx(reference, abs=0.01)
    assert audio.loudness(np.zeros(rate * 2, dtype=np.float32), rate) == float("-inf")
