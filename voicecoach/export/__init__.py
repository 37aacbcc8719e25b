"""export adapters and helpers."""
