#!/usr/bin/env bash
# Installs what roadsynth needs to render and is missing: an EGL loader and, where no GPU driver provides EGL,
# Mesa's EGL/GL packages (software rasterizer llvmpipe). Debian/Ubuntu; uses apt-get, as root or through sudo.
set -euo pipefail
PACKAGES=(libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
have_nvidia_egl=false
ldconfig -p 2>/dev/null | grep -q 'libEGL_nvidia\.so' && have_nvidia_egl=true

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: EGL and Mesa are installed (${PACKAGES[*]})"
  exit 0
fi
if $have_nvidia_egl && dpkg-query -W -f='${Status}' libegl1 2>/dev/null | grep -q "install ok installed"; then
  echo "install-deps: NVIDIA's EGL driver is present; Mesa (software fallback) is not installed: ${missing[*]}"
  [ "${ROADSYNTH_REQUIRE_MESA:-0}" = 1 ] || exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-deps: missing ${missing[*]} and no apt-get here; install EGL and Mesa's EGL/GL drivers with your package manager" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO=(sudo)
else
  echo "install-deps: missing ${missing[*]}; this needs root. Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
