# Comments in other languages are und; sv/da/no/en comments with loanwords and
# brand names keep their language.  Corpus: corpora/langid/other.tsv and
# other-heldout.tsv (lang<TAB>text, written for tema; docs/accuracy.md).
# "Keep their language" is measured against the same engine without the
# other-language list, so the base model's own da/no confusions on short
# comments are not counted here (docs/accuracy.md has those).
. "$(dirname "$0")/lib.sh"
[ -f "$TEMA_DATA/models/langid.bin" ] || { echo "no language model"; exit 77; }
D=$TEMA_DATA
awk -F'\t' 'FNR > 1' "$D/corpora/langid/other.tsv" "$D/corpora/langid/other-heldout.tsv" > "$TMP/corpus"
cut -f1 "$TMP/corpus" > "$TMP/truth"
cut -f2- "$TMP/corpus" > "$TMP/text"
"$TEMA" lang --no-lang-prior "$TMP/text" > "$TMP/with" || fail "tema lang"

# The same data without lexicons/all/other-languages.txt.
mkdir -p "$TMP/data/lexicons/all"
ln -s "$D/models" "$TMP/data/models"
[ -d "$D/build" ] && ln -s "$D/build" "$TMP/data/build"
for x in sv da no en themes; do ln -s "$D/lexicons/$x" "$TMP/data/lexicons/$x"; done
ln -s "$D/lexicons/all/sentiment.txt" "$TMP/data/lexicons/all/sentiment.txt"
"$TEMA" lang --no-lang-prior --data "$TMP/data" "$TMP/text" > "$TMP/without" || fail "tema lang without list"

paste "$TMP/truth" "$TMP/without" "$TMP/with" | awk -F'\t' '
    $1 ~ /^(sv|da|no|en)$/ { n++; if ($3 == $2 && $3 != "und") keep++; else print "changed: " $0; next }
    { f++; if ($3 == "und") u++; if ($2 == "und") u0++ }
    END { printf "%d %d %d %d %d\n", f, u, u0, n, keep }' > "$TMP/fig"
grep '^changed' "$TMP/fig" >&2
set -- $(tail -1 "$TMP/fig")
nforeign=$1; und=$2; und_before=$3; nnordic=$4; kept=$5
echo "foreign comments und: $und of $nforeign (without the list: $und_before); Nordic kept: $kept of $nnordic"
[ "$nforeign" -ge 240 ] && [ "$nnordic" -ge 180 ] || fail "corpus too small: $nforeign foreign, $nnordic Nordic"
# >= 95% of the foreign comments und (reached: 239 of 245)
[ $((und * 100)) -ge $((nforeign * 95)) ] || fail "only $und of $nforeign foreign comments und"
# the list must do the work: without it, about half are und
[ $((und_before * 100)) -lt $((nforeign * 70)) ] || fail "the corpus is too easy: $und_before und without the list"
# >= 98% of the Nordic ones keep their language (reached: all)
[ $((kept * 100)) -ge $((nnordic * 98)) ] || fail "only $kept of $nnordic Nordic comments kept their language"

# Each foreign language of the corpus on its own: at least 80% und (Icelandic,
# the nearest to the four, is the weakest: 5 of 6).
paste "$TMP/truth" "$TMP/with" | awk -F'\t' '$1 !~ /^(sv|da|no|en)$/ { n[$1]++; if ($2 == "und") u[$1]++ }
    END { for (l in n) if (u[l] * 100 < n[l] * 80) print l, u[l] + 0, n[l] }' > "$TMP/weak"
[ -s "$TMP/weak" ] && fail "languages under 80% und: $(cat "$TMP/weak")"

# tema score applies no sentiment or themes in a wrong language.
printf '%s\n' "La livraison était très lente et le service client horrible." \
    "Entrega muy lenta y el servicio al cliente fue terrible." "Alles gut, danke" "Kiitos!" |
    "$TEMA" score > "$TMP/score" || fail "tema score"
got=$(jq -r '[.lang, .label, (.themes | length)] | @tsv' "$TMP/score" | sort -u | tr '\t' ' ')
expect_eq "foreign comments scored" "$got" "und neutral 0"
# ... and a Nordic comment with a French thank-you is still scored as Swedish.
got=$(printf 'Maten var god och personalen trevlig, merci!\n' | "$TEMA" score | jq -r '.lang + " " + .label')
expect_eq "Swedish with merci" "$got" "sv positive"
exit 0
