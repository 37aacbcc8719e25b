"""The real sounddevice capture path: an ALSA `file` PCM as the default microphone, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from voicecoach.audio.io import load_audio, resample
from voicecoach.audio.mic import StreamResampler

REPO = Path(__file__).resolve().parents[1]
DEVICE_RATE = 48000

# The listener on the default input device, exactly as `voicecoach practice` would build it.
CAPTURE = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from voicecoach.audio.listener import LiveListener
    from voicecoach.audio.mic import SoundDeviceSource, list_devices, resolve_device
    from voicecoach.config import SttOptions, TurnOptions
    from voicecoach.errors import DeviceError
    from voicecoach.speech.stt import WhisperTranscriber

    stt = WhisperTranscriber(SttOptions()); stt.load()
    source = SoundDeviceSource(sys.argv[2] if len(sys.argv) > 2 else None, TurnOptions())
    answer = LiveListener(source, stt, TurnOptions()).listen("How would you measure success?", Path(sys.argv[1]))
    out = {"text": answer.transcript.text, "end_reason": answer.end_reason, "rate_hz": source.rate_hz,
           "devices": [d["name"] for d in list_devices()], "default": resolve_device("default")}
    source._stream.stop()  # what PortAudio does when the device vanishes: the stream stops
    for _ in range(10000):  # what was queued before it stopped is still delivered, then the error
        try:
            source.read(0.2)
        except DeviceError as e:
            out["vanished"] = str(e)
            break
    source.close()
    print(json.dumps(out))
    """
)


def asoundrc(raw: Path) -> str:
    """Default input = ALSA's `file` plugin reading raw S16_LE mono from `raw` (through `plug` for conversion)."""
    return textwrap.dedent(
        f"""
        pcm.answerfile {{
            type file
            slave.pcm "null"
            file "/dev/null"
            infile "{raw}"
            format "raw"
        }}
        pcm.!default {{
            type plug
            slave {{ pcm "answerfile"; format S16_LE; rate {DEVICE_RATE}; channels 1 }}
        }}
        """
    )


def run_in_home(
    home: Path, script: str, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """PortAudio reads ALSA's config when it initialises, so each case gets a fresh process and HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA", "XDG_CONFIG"))}
    env.update(HOME=str(home), PYTHONPATH=str(REPO), **(extra_env or {}))
    return subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def spoken_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """espeak-ng speech with silence around it, as raw 48 kHz S16_LE: what the 'microphone' hears."""
    folder = tmp_path_factory.mktemp("alsa")
    wav = folder / "speech.wav"
    text = "I would first clarify the goal, then look at weekly retention."
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True)
    speech = load_audio(wav)
    audio = np.concatenate([np.zeros(16000, np.float32), speech, np.zeros(4 * 16000, np.float32)])
    pcm = np.round(np.clip(resample(audio, 16000, DEVICE_RATE), -1, 1) * 32767).astype("<i2")
    raw = folder / "answer.raw"
    raw.write_bytes(pcm.tobytes())
    return raw


def test_default_alsa_input_is_captured_resampled_and_transcribed(spoken_raw: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(asoundrc(spoken_raw), encoding="utf-8")
    wav = tmp_path / "turn-01.wav"
    proc = run_in_home(home, CAPTURE, str(wav))
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["rate_hz"] == DEVICE_RATE  # captured at the device's rate, resampled to 16 kHz inside
    assert "default" in out["devices"] and out["default"] is not None
    assert out["end_reason"] == "silence"
    words = set(out["text"].lower().replace(",", " ").replace(".", " ").split())
    assert {"clarify", "goal", "weekly", "retention"} <= words, out["text"]
    saved = load_audio(wav)
    assert 3.0 < saved.size / 16000 < 9.0  # the answer, with pre-roll and the end-of-turn silence
    assert "Reconnect" in out["vanished"] and "--answers" in out["vanished"]


def test_no_microphone_is_a_device_error_that_names_the_options(tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    # the default points at a sound card that is not there (this machine, like CI, has none)
    (home / ".asoundrc").write_text("pcm.!default { type hw; card 99 }\n", encoding="utf-8")
    script = textwrap.dedent(
        """
        from voicecoach.audio.mic import SoundDeviceSource
        from voicecoach.config import TurnOptions
        from voicecoach.errors import DeviceError
        for device in (None, "USB headset", "99"):
            try:
                SoundDeviceSource(device, TurnOptions()).start()
                print("opened", device)
            except DeviceError as e:
                print("DeviceError:", e)
        """
    )
    proc = run_in_home(home, script)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    assert len(lines) == 3 and all(ln.startswith("DeviceError:") for ln in lines), proc.stdout + proc.stderr
    assert all("--answers" in ln and "--answers-text" in ln for ln in lines)
    assert "USB headset" in lines[1] and "99" in lines[2]


def test_portaudio_missing_is_a_device_error_with_the_install_fix(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import ctypes.util
        ctypes.util.find_library = lambda name: None  # as on a machine without libportaudio2
        from voicecoach.audio.mic import list_devices
        from voicecoach.errors import DeviceError
        try:
            list_devices()
        except DeviceError as e:
            print("DeviceError:", e)
        """
    )
    proc = run_in_home(tmp_path, script)
    assert "DeviceError:" in proc.stdout, proc.stderr
    assert "libportaudio2" in proc.stdout and "--answers" in proc.stdout


@pytest.mark.parametrize("rate", [44100, 48000, 22050, 8000])
def test_stream_resampler_equals_whole_array_resampling(rate: int) -> None:
    rng = np.random.default_rng(rate)
    x = (rng.standard_normal(rate * 2) * 0.1).astype(np.float32)
    r = StreamResampler(rate)
    out, i = [], 0
    while i < x.size:
        n = int(rng.integers(1, 3000))
        out.append(r.push(x[i : i + n]))
        i += n
    streamed = np.concatenate(out)
    whole = resample(x, rate, 16000)
    assert whole.size - 40 <= streamed.size <= whole.size  # only the filter's look-ahead is held back
    np.testing.assert_allclose(streamed, whole[: streamed.size], atol=1e-6)


def _home_reading(folder: Path, raw: Path) -> Path:
    home = folder / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(asoundrc(raw), encoding="utf-8")
    return home


def test_capture_through_alsa_loses_no_sample_and_drops_only_the_voice(tmp_path: Path) -> None:
    """A counting signal arrives sample-exact (PortAudio's float path dropped every other block here);
    frames captured before the end of the interviewer's playback (plus the guard) are dropped, nothing else."""
    raw = tmp_path / "ramp.raw"
    raw.write_bytes(((np.arange(DEVICE_RATE * 20) % 20000) - 10000).astype("<i2").tobytes())
    script = textwrap.dedent(
        """
        import json, time
        import numpy as np
        from voicecoach.audio.echo import PlaybackClock
        from voicecoach.audio.mic import SoundDeviceSource, StreamResampler
        from voicecoach.config import TurnOptions

        ramp = (((np.arange(48000 * 20) % 20000) - 10000) / 32768).astype(np.float32)
        expected = StreamResampler(48000).push(ramp)
        echo = PlaybackClock()
        src = SoundDeviceSource(None, TurnOptions(), echo)
        src.begin_turn()
        got, n = [], 0
        while n < 16000 * 5:
            chunk = src.read(0.5)
            got.append(chunk)
            n += chunk.size
        x = np.concatenate(got)
        exact = float(np.max(np.abs(x - expected[: x.size])))
        echo.done()  # the interviewer's voice finished playing now
        src.begin_turn()
        while (chunk := src.read(0.5)) is not None and chunk.size == 0:
            pass
        out = {"exact": exact, "after_cutoff": src.captured_at() >= echo.until + 0.25,
               "continued": bool(np.isclose(chunk[0], expected[x.size], atol=1e-6))}
        src.close()
        print(json.dumps(out))
        """
    )
    proc = run_in_home(_home_reading(tmp_path, raw), script)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["exact"] == 0.0
    assert out["after_cutoff"] and not out["continued"]


def test_whole_session_through_the_alsa_file_device(tmp_path: Path) -> None:
    """`voicecoach practice` on the default ALSA input: three spoken answers, then the device gives silence."""
    fixtures = REPO / "audio_fixtures"
    gap = np.zeros(4 * 16000, np.float32)
    names = ("demo-01-clarify.wav", "demo-02-weak.wav", "demo-03-strong.wav")
    audio = np.concatenate([gap[:16000], *[np.concatenate([load_audio(fixtures / n), gap]) for n in names]])
    raw = tmp_path / "session.raw"
    raw.write_bytes(np.round(np.clip(resample(audio, 16000, DEVICE_RATE), -1, 1) * 32767).astype("<i2").tobytes())
    home = _home_reading(tmp_path, raw)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA", "XDG_CONFIG"))}
    env.update(HOME=str(home), VOICECOACH_HOME=str(tmp_path / "vc"))
    binary = str(Path(sys.executable).with_name("voicecoach"))
    proc = subprocess.run(
        [binary, "practice", "--case", "uploads-drop", "--voice-out", "none"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    folder = Path(proc.stdout.strip().splitlines()[-1])
    data = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    assert data["status"] == "completed"
    turns = data["turns"]
    candidate = [t for t in turns if t["role"] == "candidate"]
    assert [t["kind"] for t in candidate] == ["clarification", "answer", "answer"]
    assert "Android" in turns[2]["text"]  # the clarifying question was answered from the hidden facts
    said = " ".join(t["text"] for t in candidate).lower()
    assert all(w in said for w in ("platforms", "stickers", "kill switch", "staged rollout")), said
    for t in candidate:  # every answer's audio is on disk, the length of what was said
        assert (folder / t["audio"]).stat().st_size > 2 * 16000 * 2
    assert turns[-1]["kind"] == "feedback"
