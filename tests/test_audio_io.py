"""Audio I/O on real files: decoding formats, errors that name the file, resampling, crash-safe WAVs."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from encoding import encode

from voicecoach.audio.io import SAMPLE_RATE_HZ, WavWriter, iter_audio_blocks, load_audio, resample, write_wav
from voicecoach.errors import AudioError

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "mfa_cold_corpus.wav"


def _tone(freq_hz: float, rate_hz: int, seconds: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate_hz * seconds)) / rate_hz
    return (amp * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)


def test_load_corpus_wav_is_16k_mono_float(corpus_dir: Path) -> None:
    audio = load_audio(corpus_dir / SAMPLE)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(audio.size / SAMPLE_RATE_HZ - 25.72) < 0.05
    assert 0.05 < float(np.abs(audio).max()) <= 1.0


def test_mp3_stereo_44k_decodes(corpus_dir: Path, tmp_path: Path) -> None:
    ref = load_audio(corpus_dir / SAMPLE)
    audio = load_audio(encode(ref, tmp_path / "s.mp3", 44100, right_gain=0.8))
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(audio.size - ref.size) < 0.1 * SAMPLE_RATE_HZ  # codec padding only
    rms = float(np.sqrt(np.mean(audio**2)))
    assert 0.8 < rms / float(np.sqrt(np.mean(ref**2))) < 1.0  # the mono mix of (x, 0.8x) is 0.9x


@pytest.mark.parametrize("suffix", ["wav", "flac", "ogg"])
def test_stereo_48k_wav_flac_ogg_decode_to_same_signal(corpus_dir: Path, tmp_path: Path, suffix: str) -> None:
    src = corpus_dir / SAMPLE
    out = tmp_path / f"stereo48k.{suffix}"
    ref = load_audio(src)
    audio = load_audio(encode(ref, out, 48000))
    assert abs(audio.size - ref.size) <= (2 if suffix != "ogg" else 0.02 * SAMPLE_RATE_HZ)  # Vorbis pads its end
    n = min(ref.size, audio.size)
    assert float(np.corrcoef(audio[:n], ref[:n])[0, 1]) > 0.99  # Ogg Vorbis is lossy but close
    assert abs(float(np.sqrt(np.mean(audio**2)) / np.sqrt(np.mean(ref**2))) - 1.0) < 0.05


def test_blocks_stream_in_bounded_pieces(corpus_dir: Path) -> None:
    blocks = list(iter_audio_blocks(corpus_dir / SAMPLE, block_s=5.0))
    assert [b.size for b in blocks[:-1]] == [5 * SAMPLE_RATE_HZ] * (len(blocks) - 1)
    assert np.array_equal(np.concatenate(blocks), load_audio(corpus_dir / SAMPLE))


def test_missing_empty_corrupt_and_non_audio_files_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.wav"
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    header_only = tmp_path / "header-only.wav"
    write_wav(tmp_path / "x.wav", np.zeros(100, np.float32))
    header_only.write_bytes((tmp_path / "x.wav").read_bytes()[:44])
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFX" + os.urandom(4000))
    text = tmp_path / "notes.mp3"
    text.write_text("this is not audio at all\n" * 50)
    for bad in (missing, empty, header_only, corrupt, text, tmp_path):
        with pytest.raises(AudioError) as e:
            load_audio(bad)
        assert str(bad) in str(e.value)
    with pytest.raises(AudioError, match="empty"):
        load_audio(empty)
    with pytest.raises(AudioError, match="no audio samples"):
        load_audio(header_only)


def test_resample_keeps_tones_and_rejects_aliases() -> None:
    for rate in (48000, 44100, 22050, 8000):
        y = resample(_tone(1000, rate, 1.0), rate, SAMPLE_RATE_HZ)
        assert y.size == SAMPLE_RATE_HZ
        ref = _tone(1000, SAMPLE_RATE_HZ, 1.0)
        assert float(np.abs(y[500:-500] - ref[500:-500]).max()) < 1e-3
    # 10 kHz is above the new 8 kHz Nyquist: it must be filtered out, not folded to 6 kHz
    aliased = resample(_tone(10000, 48000, 1.0), 48000, SAMPLE_RATE_HZ)
    assert float(np.abs(aliased[500:-500]).max()) < 1e-3
    assert np.array_equal(resample(ref, 16000, 16000), ref)


def test_write_wav_is_user_only_pcm16(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", _tone(440, SAMPLE_RATE_HZ, 0.5))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()) == (1, 2, 16000, 8000)
    back = load_audio(path)
    assert float(np.abs(back - _tone(440, SAMPLE_RATE_HZ, 0.5)).max()) < 1e-3


def test_wav_writer_file_is_valid_after_every_write(tmp_path: Path) -> None:
    path = tmp_path / "live.wav"
    with WavWriter(path) as w:
        for i in range(1, 4):
            w.write(np.full(1600, 0.1 * i, np.float32))
            assert w.samples_written == 1600 * i
            with wave.open(str(path)) as r:  # another reader sees a complete file mid-recording
                assert r.getnframes() == 1600 * i
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_audio(path).size == 4800


def test_wav_writer_survives_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "killed.wav"
    script = textwrap.dedent(f"""
        import sys, time, numpy as np
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from voicecoach.audio.io import WavWriter
        w = WavWriter(Path({str(path)!r}))
        for _ in range(10):
            w.write(np.full(480, 0.25, np.float32))
        print("written", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    time.sleep(0.05)
    with wave.open(str(path)) as r:
        assert r.getnframes() == 4800
    audio = load_audio(path)
    assert audio.size == 4800 and abs(float(audio.mean()) - 0.25) < 1e-3
