"""brain adapters and helpers."""
