#!/usr/bin/env bash
# Sets up Kiểm tra CCHC on this machine and starts it.
#
#   ./run.sh                            build, then open the app on the per-user database
#                                       (created with the 2026 plan on first start)
#   ./run.sh checklist show "ha lang"   any kiemtra command, on the same database
#
# The database is the per-user one (~/.local/share/vn.kiemtra.cchc/kiemtra.sqlite3), shared by
# the app and the kiemtra command line, or the file named by KIEMTRA_DB. Nothing is fetched at
# run time.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
npm --prefix ui run build --silent >/dev/null
cargo build --release --quiet -p kiemtra-cli -p kiemtra-desktop
bin="$CARGO_TARGET_DIR/release"
"$bin/kiemtra" init >/dev/null
"$bin/kiemtra" plan load-sample >/dev/null
if [ $# -gt 0 ]; then
  exec "$bin/kiemtra" "$@"
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "Mở Kiểm tra CCHC"
  exec "$bin/kiemtra-desktop"
fi
"$bin/kiemtra" plan show
echo
echo "Không có màn hình đồ họa (DISPLAY): ứng dụng dựng xong ở $bin/kiemtra-desktop."
echo "Dùng dòng lệnh, ví dụ:"
echo "  ./run.sh checklist show \"ha lang\"        bảng tiêu chí của xã Hạ Lang"
echo "  ./run.sh score --all                     xếp hạng các đơn vị"
echo "  ./run.sh --help                          mọi lệnh"
