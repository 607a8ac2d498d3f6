#!/usr/bin/env bash
# Set up everything LiftLens needs on a Debian-like machine: the system
# libraries Qt loads (and Xvfb for tests / headless use), then a virtual
# environment with the project installed. Safe to run again: it only does
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
VENV=".venv"
SYSTEM_PKGS=(xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0)

say() { printf 'liftlens setup: %s\n' "$*" >&2; }

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${SYSTEM_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "these system packages are missing and I cannot install them (need root and apt-get):"
    say "  ${missing[*]}"
    say "install them with: sudo apt-get install ${missing[*]}"
  fi
fi

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  say "Python 3.10 or newer is needed ($PY is $("$PY" --version 2>&1))."
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtual environment in $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.liftlens-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing LiftLens and its Python packages (first run takes a minute)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/python" -m pip install -q -e ".[test,cluster]" 2>&1 | grep -v "^WARNING: Location" >&2 || true
  "$VENV/bin/python" -c "import PySide6, cv2, av, pyqtgraph, scipy, platformdirs" \
    || { say "the Python packages did not install; see the messages above."; exit 1; }
  echo "$want" > "$stamp"
fi
