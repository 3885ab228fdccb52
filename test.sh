#!/usr/bin/env bash
# Runs every test of Kiểm tra CCHC: formatting and lints (Rust and Svelte), the UI's unit
# tests (Vitest), the core's unit and store tests, the CLI driven as a user would, and the
# real desktop window driven through tauri-driver + WebKitWebDriver under Xvfb.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh --test
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "== ui: svelte-check, vitest, build"
npm --prefix ui run --silent check
npm --prefix ui run --silent test 2>&1 | tee -a "$log"
npm --prefix ui run --silent build >/dev/null
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test (includes the WebDriver run; screenshots in tests/artifacts/)"
cargo test --workspace --locked 2>&1 | tee -a "$log"
# One closing line for the whole run (Rust tests and Vitest tests).
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^test result:/ { p += $4; f += $6 }
  /^ *Tests +[0-9]+ passed/ { p += $2 }
  /^ *Tests +[0-9]+ failed/ { f += $2 }
  END { printf "\n%d passed, %d failed\n", p, f }'
