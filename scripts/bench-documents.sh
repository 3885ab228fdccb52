#!/usr/bin/env bash
# Figures of issue 4: the app's own PDF generation against the path offices use today.
#   scripts/bench-documents.sh [RUNS]
# 1. cargo bench -p kiemtra-core --bench documents (release): a 4-page Thông báo in-process,
#    and the documents of the whole plan.
# 2. The same Thông báo as an equivalent .docx (scripts/make-docx.py), converted to PDF by
#    LibreOffice headless RUNS times (default 5), each a fresh `soffice` as a clerk's
#    "Export as PDF" from a closed Writer would be; the median is compared with the app's.
# Needs libreoffice-writer-nogui and python3-docx (apt), which the app itself does not.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kiemtra-target}"
KIEMTRA_BENCH_OUT="$out/thong-bao.pdf" cargo bench -q -p kiemtra-core --bench documents | tee "$out/bench.txt"
app_ms=$(grep -o 'median [0-9.]* ms' "$out/bench.txt" | head -1 | awk '{print $2}')
for need in soffice /usr/bin/python3; do
  command -v "$need" >/dev/null || { echo "Cần $need (sudo apt-get install libreoffice-writer-nogui python3-docx)"; exit 1; }
done
/usr/bin/python3 scripts/make-docx.py "$out/thong-bao.json" "$out/thong-bao.docx"
times=()
for i in $(seq "$runs"); do
  rm -f "$out/lo/thong-bao.pdf"
  start=$(date +%s%N)
  soffice --headless -env:UserInstallation="file://$out/profile" --convert-to pdf --outdir "$out/lo" "$out/thong-bao.docx" >/dev/null 2>&1
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
lo_ms=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
lo_pages=$(pdfinfo "$out/lo/thong-bao.pdf" 2>/dev/null | awk '/^Pages/ {print $2}')
lo_kb=$(( $(stat -c %s "$out/lo/thong-bao.pdf") / 1024 ))
app_kb=$(( $(stat -c %s "$out/thong-bao.pdf") / 1024 ))
echo "LibreOffice (.docx → PDF, soffice --headless, $runs lần: ${times[*]} ms): median ${lo_ms} ms, ${lo_pages:-?} trang, ${lo_kb} KB"
awk -v a="$app_ms" -v l="$lo_ms" -v ak="$app_kb" -v lk="$lo_kb" \
  'BEGIN { printf "Ứng dụng: median %.2f ms, %d KB → nhanh hơn %.0f lần; tệp %s\n", a, ak, l / a, (ak <= lk ? "nhỏ hơn hoặc bằng" : "lớn hơn") }'
