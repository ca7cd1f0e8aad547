#!/usr/bin/env bash
# Install the Debian packages VidStream needs, only those missing. Idempotent and quiet when all is there.
set -euo pipefail

PACKAGES=(
    ffmpeg                       # recorder, synthetic cameras, ffprobe
    libvlc5 libvlccore9 vlc-plugin-base vlc-plugin-video-output
    vlc-plugin-access-extra      # access_srt: the live transport into Debian's libvlc (no RTSP client there)
    vlc-bin                      # cvlc, the benchmark's baseline player
    xvfb xauth                   # headless display for GUI tests
    imagemagick                  # `import -window root` screenshots
    libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libegl1 libgl1 libfontconfig1
    libdbus-1-3 fonts-dejavu-core # Qt's xcb platform plugin
    golang-go                    # only used when the machine has no Go of its own
    npm                          # only used when the machine has no npm of its own (hls.js for MediaMTX)
    python3-venv
)

missing=()
for package in "${PACKAGES[@]}"; do
    case "$package" in
        golang-go) command -v go >/dev/null && continue ;;
        npm) command -v npm >/dev/null && continue ;;
        python3-venv) python3 -c 'import venv, ensurepip' 2>/dev/null && continue ;;
    esac
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing+=("$package")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
[[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
