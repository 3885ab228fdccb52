#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and run Kiểm tra CCHC.
#   scripts/setup.sh          what building and running need
#   scripts/setup.sh --test   also what the tests need (Xvfb, WebKitWebDriver, tauri-driver)
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(build-essential pkg-config file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev)
if [ "${1:-}" = "--test" ]; then
  # libreoffice-calc-nogui: the .xlsx export is read back through `soffice --convert-to csv`.
  pkgs+=(webkit2gtk-driver xvfb xauth imagemagick poppler-utils qpdf libreoffice-calc-nogui)
fi
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)
need=()
for pkg in "${pkgs[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Cài đặt các gói còn thiếu: ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "Cần Rust (cargo) để dựng ứng dụng: https://rustup.rs" >&2
  exit 1
fi
if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "Cài đặt tauri-driver (khoảng 2 phút)"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
# The UI's packages (the lockfile names other platforms' tauri-cli builds: npm install, not npm ci).
if [ ! -d ui/node_modules ] || [ ui/package.json -nt ui/node_modules/.package-lock.json ]; then
  echo "Cài đặt các gói npm của giao diện"
  npm --prefix ui install --no-audit --no-fund --loglevel=error
fi
