#!/usr/bin/env sh
# Add LiftLens to your desktop's application menu (no root needed): links
# ~/.local/bin/liftlens to this folder's bundle and installs the .desktop file and icon.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
bin="${XDG_BIN_HOME:-$HOME/.local/bin}"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
mkdir -p "$bin" "$apps" "$icons/256x256/apps" "$icons/scalable/apps"
ln -sf "$here/liftlens/liftlens" "$bin/liftlens"
cp "$here/liftlens.png" "$icons/256x256/apps/liftlens.png"
cp "$here/liftlens.svg" "$icons/scalable/apps/liftlens.svg"
sed "s|^Exec=liftlens|Exec=$here/liftlens/liftlens|" "$here/liftlens.desktop" > "$apps/liftlens.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "LiftLens is in your application menu; on the command line: $bin/liftlens"
