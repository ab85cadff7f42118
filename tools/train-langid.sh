#!/bin/sh
# Rebuilds models/langid.bin from ../shared/corpora and the project's own text.
# Usage: tools/train-langid.sh [BUILD]   (needs ../shared/corpora)
set -eu
BUILD=${1:-build}
S=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}/corpora
[ -d "$S" ] || { echo "train-langid: $S not found" >&2; exit 1; }
set -- --ud-weight 10 --ud "$S/langid/ud-dev.tsv"
for pair in sv:swedish da:danish no:norwegian en:english; do
    l=${pair%%:*}; name=${pair#*:}
    set -- "$@" --words "$l" "$S/snowball/$name/voc.txt"
    for f in lexicons/$l/*.txt; do [ -f "$f" ] && set -- "$@" --words "$l" "$f"; done
    [ -f "corpora/langid/$l.txt" ] && set -- "$@" --text "$l" "corpora/langid/$l.txt"
done
"$BUILD/tools/train-langid" --out models/langid.bin "$@"
