#!/bin/sh
# Rebuilds models/sentiment.bin from ../shared/corpora/sentiment (training
# rows only; see models/README.md), then prints the held-out figures for
# docs/accuracy.md.  Usage: tools/train-sentiment.sh [BUILD]
set -eu
BUILD=${1:-build}
S=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}/corpora
[ -d "$S/sentiment" ] || { echo "train-sentiment: $S/sentiment not found" >&2; exit 1; }
# The rules run with the model off while features are extracted.
export TEMA_DATA=${TEMA_DATA:-.}
# --flags 2: lexicon words reach the model only through the rule features,
# so the model cannot overrule a negation or an idiom word by word.
# --min-conf: the lowest confidence floors (steps of 0.1) at which every case
# in tests/spec/sentiment-*.txt still holds with the model (docs/accuracy.md).
"$BUILD/tools/train-sentiment" --corpora "$S" --out models/sentiment.bin.tmp --flags 2 \
    --min-conf sv 0.8 --min-conf da 0.9 --min-conf no 0.8 --min-conf en 0.8
mv models/sentiment.bin.tmp models/sentiment.bin
"$BUILD/tools/eval-sentiment" --corpora "$S"
