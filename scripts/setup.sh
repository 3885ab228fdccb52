#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and run Kiểm tra CCHC.
# Safe to run again: it only installs what is missing.
set -euo pipefail
need=()
for pkg in build-essential pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Cài đặt các gói còn thiếu: ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "Cần Rust (cargo) để dựng ứng dụng: https://rustup.rs" >&2
  exit 1
fi
