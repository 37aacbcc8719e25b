"""speech adapters and helpers."""
