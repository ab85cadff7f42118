# Theme accuracy on the test half (even lines) of corpora/themes: touchpoint-level
# F1 of every language and overall must stay above a floor a little below the
# figures in docs/accuracy.md ("Themes"), so a taxonomy change that costs
# accuracy fails here.  The tool's own checks: a bad label is an error.
. "$(dirname "$0")/lib.sh"
EVAL="$TEMA_DATA/$BUILD/tools/eval-themes"
case $BUILD in /*) EVAL="$BUILD/tools/eval-themes" ;; esac
[ -x "$EVAL" ] || fail "no $EVAL"
C="$TEMA_DATA/corpora/themes"

expect_exit 0 "$EVAL" --half test --min-f1 0.76 "$C/sv.tsv" "$C/da.tsv" "$C/no.tsv" "$C/en.tsv"
rows=$(grep -c '^| [a-z]*\.tsv | 75 |' "$TMP/out")
expect_eq "rows of 75 test comments" "$rows" 4

# The first CX set (corpora/themes/holdout; docs/accuracy.md), held out
# when these floors were set and tuning data since: touchpoint F1 and the
# polarity of found touchpoints on its test half stay above floors below the
# measured 0.735 and 0.672 of its one held-out run (0.753 and 0.721 now).
H="$TEMA_DATA/corpora/themes/holdout"
expect_exit 0 "$EVAL" --half test --min-f1 0.70 "$H/sv.tsv" "$H/da.tsv" "$H/no.tsv" "$H/en.tsv"
pol=$(awk -F'|' '$2 == " all " && NF == 8 {print $7 + 0}' "$TMP/out")
[ -n "$pol" ] || fail "no polarity figure for the holdout set"
awk -v p="$pol" 'BEGIN {exit !(p >= 0.64)}' || fail "holdout polarity right $pol below 0.64"

# The second held-out set (run three times while held out, docs/accuracy.md;
# tuning data since the complaint-cue round): floors a little below its
# held-out touchpoint F1 (first run: all 0.628, lowest file en 0.567; then
# 0.635 and 0.586; --min-f1 applies to each file and to all) and polarity
# (0.597 at the first run, 0.611 at the third).
H2="$TEMA_DATA/corpora/themes/holdout2"
expect_exit 0 "$EVAL" --min-f1 0.55 "$H2/sv.tsv" "$H2/da.tsv" "$H2/no.tsv" "$H2/en.tsv"
pol=$(awk -F'|' '$2 == " all " && NF == 8 {print $7 + 0}' "$TMP/out")
awk -v p="$pol" 'BEGIN {exit !(p >= 0.57)}' || fail "holdout2 polarity right $pol below 0.57"

# The third held-out set, never tuned on (run twice in the fourth session and
# once at the end of the fifth, docs/accuracy.md): then touchpoint F1 all 0.653,
# lowest file sv 0.632; comment sentiment accuracy 0.748; polarity right 0.772.
H3="$TEMA_DATA/corpora/themes/holdout3"
expect_exit 0 "$EVAL" --min-f1 0.60 "$H3/sv.tsv" "$H3/da.tsv" "$H3/no.tsv" "$H3/en.tsv"
acc=$(awk -F'|' '$2 == " all " && NF == 8 {print $4 + 0}' "$TMP/out")
pol=$(awk -F'|' '$2 == " all " && NF == 8 {print $7 + 0}' "$TMP/out")
[ -n "$acc" ] && [ -n "$pol" ] || fail "no sentiment figures for holdout3"
awk -v a="$acc" 'BEGIN {exit !(a >= 0.72)}' || fail "holdout3 sentiment accuracy $acc below 0.72"
awk -v p="$pol" 'BEGIN {exit !(p >= 0.74)}' || fail "holdout3 polarity right $pol below 0.74"

# A floor above the measured figure fails with status 3.
expect_exit 3 "$EVAL" --half test --min-f1 0.99 "$C/sv.tsv"
expect_grep "$TMP/err" "touchpoint F1 below 0.990"

# Hand-worked counts: gold {delivery.late} vs a comment that names only the
# parent touchpoint; gold {other} vs a comment with no theme words.
printf 'delivery.late\tLeveransen var bra\nother\tTack så mycket\n' > "$TMP/sv.tsv"
expect_exit 0 "$EVAL" "$TMP/sv.tsv"
# exact: predicted delivery (1 FP), delivery.late missed (1 FN) -> P 0 R 0;
# touchpoint: delivery = delivery -> P 1 R 1; the "other" comment got no theme.
expect_grep "$TMP/out" '| sv.tsv | 2 | 0.000 | 0.000 | 0.000 | 1.000 | 1.000 | 1.000 | 1/1 |'

# The fixed split: line 1 is in the tuning half, line 2 in the test half.
expect_exit 0 "$EVAL" --half tune "$TMP/sv.tsv"; expect_grep "$TMP/out" '| sv.tsv | 1 | .* | 0/0 |'
expect_exit 0 "$EVAL" --half test "$TMP/sv.tsv"; expect_grep "$TMP/out" '| sv.tsv | 1 | .* | 1/1 |'

# Files with sentiment: "label<TAB>id:polarity,...<TAB>text".  Hand-worked:
# comment labels pos->pos, neu->neu, neg->neg and one positive-labelled
# complaint called negative: accuracy 3/4; F1 positive 2/3 (P 1, R 1/2),
# neutral 1, negative 2/3 (P 1/2, R 1): macro 0.778.  The delivery touchpoint
# is labelled and found three times, its polarity right twice: 0.667.
printf 'positive\tdelivery:positive\tSnabb leverans, mycket bra!\nneutral\tother:neutral\tJag beställde en soffa.\nnegative\tdelivery.late:negative\tPaketet kom tre dagar för sent.\npositive\tdelivery:positive\tLeveransen var usel.\n' > "$TMP/sv.tsv"
expect_exit 0 "$EVAL" "$TMP/sv.tsv"
expect_grep "$TMP/out" '| sv.tsv | 4 | 0.750 | 0.778 | 3 | 0.667 |'
printf 'postive\tdelivery:positive\tx\n' > "$TMP/sv.tsv"
expect_exit 1 "$EVAL" "$TMP/sv.tsv"; expect_grep "$TMP/err" "sv.tsv:1: 'postive' is not positive"
printf 'positive\tdelivery\tx\n' > "$TMP/sv.tsv"
expect_exit 1 "$EVAL" "$TMP/sv.tsv"; expect_grep "$TMP/err" "sv.tsv:1: 'delivery' is not id:positive"

# A file's format comes from its first line: "themes<TAB>text" may hold a
# TAB in its text; a file with sentiment needs all three fields on every line.
printf 'delivery.late\tLeveransen var sen\tigen\n' > "$TMP/sv.tsv"
expect_exit 0 "$EVAL" "$TMP/sv.tsv"
expect_grep "$TMP/out" '| sv.tsv | 1 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 0/0 |'
printf 'positive\tdelivery:positive\tBra leverans\nnegative\tdelivery:negative\n' > "$TMP/sv.tsv"
expect_exit 1 "$EVAL" "$TMP/sv.tsv"; expect_grep "$TMP/err" "sv.tsv:2: expected sentiment<TAB>themes<TAB>text"

# Unknown theme ids and a missing TAB are reported with file:line.
printf 'delivery.latte\tx\n' > "$TMP/en.tsv"
expect_exit 1 "$EVAL" "$TMP/en.tsv"; expect_grep "$TMP/err" "en.tsv:1: unknown theme 'delivery.latte'"
printf 'no tab here\n' > "$TMP/da.tsv"
expect_exit 1 "$EVAL" "$TMP/da.tsv"; expect_grep "$TMP/err" "da.tsv:1: no TAB"
exit 0
