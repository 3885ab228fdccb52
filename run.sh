#!/usr/bin/env bash
# Sets up Kiểm tra CCHC on this machine and starts it.
#
#   ./run.sh                      build, create the database with the 2026 plan, show the plan
#   ./run.sh checklist show "ha lang"   any kiemtra command, on the same database
#
# The database is the per-user one the app uses (~/.local/share/vn.kiemtra.cchc/kiemtra.sqlite3),
# or the file named by KIEMTRA_DB. Nothing is fetched at run time.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p kiemtra-cli
kiemtra="$CARGO_TARGET_DIR/release/kiemtra"
"$kiemtra" init >/dev/null
"$kiemtra" plan load-sample >/dev/null
if [ $# -eq 0 ]; then
  "$kiemtra" plan show
  echo
  echo "Tiếp theo, ví dụ:"
  echo "  ./run.sh checklist show \"ha lang\"        bảng tiêu chí của xã Hạ Lang"
  echo "  ./run.sh figure set \"ha lang\" ho_so_tiep_nhan 1.081"
  echo "  ./run.sh score --all                     xếp hạng các đơn vị"
  echo "  ./run.sh --help                          mọi lệnh"
else
  exec "$kiemtra" "$@"
fi
