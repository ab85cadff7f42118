#!/bin/sh
# Rebuilds models/aspects-restaurant.bin, the mention-polarity model that
# lexicons/themes/restaurant.tema declares, from the MAMS-ACSA train split
# only (5-fold cross-validation inside it; see models/README.md).
# Usage: tools/train-aspects.sh [BUILD]
set -eu
BUILD=${1:-build}
S=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}/corpora/aspects/en
[ -f "$S/mams-acsa-train.tsv" ] || { echo "train-aspects: $S/mams-acsa-train.tsv not found" >&2; exit 1; }
export TEMA_DATA=${TEMA_DATA:-.}
"$BUILD/tools/train-aspects" --train "$S/mams-acsa-train.tsv" --out models/aspects-restaurant.bin.tmp
mv models/aspects-restaurant.bin.tmp models/aspects-restaurant.bin
