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
  log="$VENV/pip-install.log"
  "$VENV/bin/python" -m pip install -q --upgrade pip >"$log" 2>&1 || true
  # pip's and setuptools' notices (the editable-install warning box) go to the log;
  # it is shown only when the install fails.
  if ! "$VENV/bin/python" -m pip install -q -e ".[test,cluster]" >>"$log" 2>&1; then
    grep -v "^WARNING: Location" "$log" >&2 || true
    say "the Python packages did not install; see the messages above (also in $log)."
    exit 1
  fi
  if ! "$VENV/bin/python" -c "import PySide6, cv2, av, pyqtgraph, scipy, platformdirs" 2>>"$log"; then
    tail -n 5 "$log" >&2
    say "the Python packages did not install completely; see $log."
    exit 1
  fi
  echo "$want" > "$stamp"  # installed: a retry does not reinstall
fi

# Qt's own libraries load the system's (libGL, libEGL, xcb, fontconfig ...).
if [ -z "${LIFTLENS_HEADLESS:-}" ] && ! qt_err="$(QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -c \
    "from PySide6 import QtGui, QtWidgets" 2>&1)"; then
  if [ ${#missing[@]} -gt 0 ]; then
    say "the Python packages are installed; Qt cannot start until the system packages"
    say "above are installed (sudo apt-get install ${missing[*]}). Then run this again."
  else
    say "Qt cannot load a system library it needs:"
    printf '  %s\n' "$(printf '%s\n' "$qt_err" | tail -n 1)" >&2
    say "install it with apt-get (see README, 'System libraries')."
  fi
  exit 1
fi
