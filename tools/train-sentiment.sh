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
# The trainer reads tests/spec/sentiment-*.txt and keeps only the ways of
# combining model and rules under which every rule case still holds
# (models/README.md); lexicon words are hashed too.
"$BUILD/tools/train-sentiment" --corpora "$S" --out models/sentiment.bin.tmp
mv models/sentiment.bin.tmp models/sentiment.bin
"$BUILD/tools/eval-sentiment" --corpora "$S"
