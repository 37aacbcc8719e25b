"""audio adapters and helpers."""
