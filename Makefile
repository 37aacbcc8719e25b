# Every target does its own set-up, idempotently: system libraries, .venv, the package.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
APT_PKGS := libespeak-ng1 libportaudio2 espeak-ng

.PHONY: setup sysdeps demo test test-quick test-llm bench lint typecheck clean

sysdeps:
	@bash scripts/sysdeps.sh $(APT_PKGS)

$(PY):
	python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: sysdeps $(STAMP)

demo: setup
	$(VENV)/bin/voicecoach demo $(DEMO_ARGS)

# Everything the tests call is installed by `setup` (espeak-ng; the HTML test fetches chromium itself):
# audio in other formats is written with PyAV, so no sox.
# Two workers (pytest-xdist), each test module whole on one of them, so module fixtures (a demo run, a set of
# graded answers) are made once; `make test XDIST=` runs everything in one process.
XDIST ?= -n 2 --dist loadfile

test: setup
	$(PY) -m pytest -q $(XDIST) $(PYTEST_ARGS)

# The same without the soak tests (thread counts, busy processes, long answers): for a quick local run.
test-quick: setup
	$(PY) -m pytest -q $(XDIST) -m "not llm and not soak" $(PYTEST_ARGS)

# The LLM interviewer against a real llama.cpp server (built once from PyPI's llama-cpp-python sdist, cached).
test-llm: setup
	@bash scripts/sysdeps.sh cmake g++ make
	bash scripts/llama_server.sh build >/dev/null
	bash scripts/llama_server.sh model >/dev/null
	$(PY) -m pytest -q -m llm -p no:cacheprovider $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check voicecoach tests bench
	$(VENV)/bin/mypy voicecoach

bench: setup
	$(PY) bench/first_word.py
	$(PY) bench/offline_quality.py
	$(PY) bench/wer.py
	$(PY) bench/filler_recall.py
	$(PY) bench/turn_latency.py
	$(PY) bench/turn_latency_load.py
	$(PY) bench/stt_threads.py
	$(PY) bench/interviewer_selftest.py
	$(PY) bench/voice_intelligibility.py
	$(PY) bench/report_size.py
	$(PY) bench/llm_fallback.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache
