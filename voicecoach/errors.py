"""VoicecoachError and the user-fixable errors; every message says the fix."""

from __future__ import annotations


class VoicecoachError(Exception):
    """Base of every error the user can act on; cli.py turns it into an exit code."""

    exit_code = 1


class ConfigError(VoicecoachError):
    """A bad option, config file or environment variable."""

    exit_code = 2


class PackError(VoicecoachError):
    """A content pack that is missing or malformed."""

    exit_code = 2


class AudioError(VoicecoachError):
    """Audio that is empty, corrupt or unsupported."""

    exit_code = 3


class ModelNotAvailableError(VoicecoachError):
    """A speech model that is not available offline."""

    exit_code = 4


class DeviceError(VoicecoachError):
    """No microphone or speaker, or one that failed mid-use."""

    exit_code = 5


class StorageError(VoicecoachError):
    """The data directory cannot be written."""

    exit_code = 6


class LLMError(VoicecoachError):
    """The language model failed: missing key, server down, bad output."""

    exit_code = 7
