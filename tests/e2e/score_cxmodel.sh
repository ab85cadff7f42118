# Which sentiment model `tema score` uses: lexicons/themes/cx.tema declares
# models/sentiment-cx.bin (`sentiment-model:`), which replaces
# models/sentiment.bin whenever that taxonomy is loaded; --no-themes keeps
# models/sentiment.bin, --no-model uses neither (docs/sentiment.md).
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null 2>&1 || { echo "no jq"; exit 77; }
M="$TEMA_DATA/models"
[ -f "$M/sentiment.bin" ] && [ -f "$M/sentiment-cx.bin" ] || { echo "no sentiment models"; exit 77; }
case $TEMA_DATA in /*) R=$TEMA_DATA ;; *) R=$(pwd)/$TEMA_DATA ;; esac
# a data folder of our own: the real lexicons (so cx.tema and its line) and
# models, with sentiment-cx.bin replaced below
D="$TMP/data"
mkdir -p "$D/models"
ln -s "$R/lexicons" "$D/lexicons"
for f in langid.bin sentiment.bin aspects-restaurant.bin; do
    [ -f "$R/models/$f" ] && ln -s "$R/models/$f" "$D/models/$f"
done
# Long (more than 8 words) so sv leaves it to the model, with no sentiment
# word: --explain names the model's m, which says which file scored it.
C='Jag beställde en jacka i måndags och den kom hem till mig i dag'
m() { echo "$C" | "$TEMA" score --lang sv --explain "$@" | jq -c '[.explain[] | select(.rule == "model") | .weight]'; }

# 1. sentiment-cx.bin not a model: the theme path fails naming it (no silent
#    fall-back to sentiment.bin); without themes or without the model it is
#    never opened.
echo 'not a model' > "$D/models/sentiment-cx.bin"
expect_exit 1 sh -c "echo 'Bra' | '$TEMA' score --lang sv --data '$D'"
expect_grep "$TMP/err" "models/sentiment-cx.bin: not a tema sentiment model"
expect_exit 0 sh -c "echo 'Bra' | '$TEMA' score --lang sv --data '$D' --no-themes"
expect_exit 0 sh -c "echo 'Bra' | '$TEMA' score --lang sv --data '$D' --no-model"
expect_eq "--no-model rule score" "$(jq -c '[.sentiment, .label]' "$TMP/out")" '[0.46,"positive"]'
rm "$D/models/sentiment-cx.bin"
expect_exit 1 sh -c "echo 'Bra' | '$TEMA' score --lang sv --data '$D'"
expect_grep "$TMP/err" "models/sentiment-cx.bin: cannot open sentiment model"

# 2. sentiment-cx.bin the same file as sentiment.bin: the same m with and
#    without themes; the real sentiment-cx.bin gives another m on the theme
#    path only.
ln -s "$R/models/sentiment.bin" "$D/models/sentiment-cx.bin"
base=$(m --data "$D" --no-themes)
[ "$base" != "[]" ] || fail "no model item for a long neutral comment"
expect_eq "same file, theme path" "$(m --data "$D")" "$base"
expect_eq "real data, --no-themes" "$(m --no-themes)" "$base"
cx=$(m)
[ "$cx" != "[]" ] && [ "$cx" != "$base" ] || fail "theme path m $cx, want one other than sentiment.bin's $base"
# ... which --help says, so a user comparing the two runs' scores knows why.
expect_exit 0 "$TEMA" score --help
tr -s ' \n' '  ' < "$TMP/out" > "$TMP/help1"
expect_grep "$TMP/help1" "no-themes .*models/sentiment.bin.*sentiment-model"

# 3. tema themes --check validates the line: a file:line error for an empty
#    one, the named file must load (themes loads no model otherwise).
printf '# x\nsentiment-model:\n' > "$TMP/bad.tema"
expect_exit 1 "$TEMA" themes --check "$TMP/bad.tema"
expect_grep "$TMP/err" "bad.tema:2: sentiment-model: expected a file name"
printf 'sentiment-model: models/none.bin\n' > "$TMP/none.tema"
expect_exit 1 "$TEMA" themes --check "$TMP/none.tema"
expect_grep "$TMP/err" "models/none.bin: cannot open sentiment model"
exit 0
