# tema analyze --score-column '#N' without --score-type: the scale is guessed
# from the header name at that position, by the rules a name given on the
# command line follows (docs/analyze.md), and said on stderr.
. "$(dirname "$0")/lib.sh"
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
q() { "$Q" "$TMP/$1" "$2"; }
cd "$TMP"

# By hand: column 3's header holds "rekommenderar" (nps, 0-10), column 4's is
# CSAT (csat, 1-5), column 1's (id) names no scale.
printf 'id,kommentar,Hur troligt är det att du rekommenderar oss?,CSAT\n' > s.csv
printf '1,Snabb leverans,9,4\n2,Dålig service,3,2\n' >> s.csv
expect_exit 0 "$TEMA" analyze --db p.db --text-column kommentar --score-column '#3' s.csv
expect_grep err "tema: s.csv: score column #3 'Hur troligt är det att du rekommenderar oss?': nps, 0-10 (by its name; --score-type to choose)"
expect_grep err "2 rows read: 2 analysed, 0 rejected"
expect_eq "nps by position" "$(q p.db 'SELECT score || score_type FROM comments ORDER BY line' | tr '\n' ' ')" "9.0nps 3.0nps "

expect_exit 0 "$TEMA" analyze --db c.db --text-column kommentar --score-column '#4' s.csv
expect_grep err "tema: s.csv: score column #4 'CSAT': csat, 1-5 (by its name; --score-type to choose)"
expect_eq "csat by position" "$(q c.db 'SELECT score || score_type FROM comments ORDER BY line' | tr '\n' ' ')" "4.0csat 2.0csat "

# By name the same note, without the position.
expect_exit 0 "$TEMA" analyze --db n.db --text-column kommentar --score-column CSAT s.csv
expect_grep err "tema: s.csv: score column 'CSAT': csat, 1-5 (by its name; --score-type to choose)"
# --score-type given: no guess and no note, and 9 is outside csat's 1-5.
expect_exit 0 "$TEMA" analyze --db g.db --text-column kommentar --score-column '#3' --score-type csat s.csv
grep -q "score column" err && fail "a score-type note with --score-type given"
expect_grep err "2 rows read: 1 analysed, 1 rejected"
# --quiet: the guess is made (csat) but not said.
expect_exit 0 "$TEMA" analyze --db h.db --quiet --text-column kommentar --score-column '#4' s.csv
grep -q "score column" err && fail "a score-type note with --quiet"
expect_eq "quiet guess" "$(q h.db 'SELECT DISTINCT score_type FROM comments')" "csat"

# A header that names no scale: an error naming the file (exit 1, like a
# position beyond the header), nothing stored.
expect_exit 1 "$TEMA" analyze --db i.db --text-column kommentar --score-column '#1' s.csv
expect_grep err "tema: error: s.csv: cannot tell the scale of score column #1 'id' from its name: give --score-type nps, csat or ces"

# Two files: the second's header at #3 must name the same scale.
printf 'id,kommentar,NPS\n3,Bra pris,10\n' > same.csv
expect_exit 0 "$TEMA" analyze --db two.db --text-column kommentar --score-column '#3' s.csv same.csv
expect_eq "two files" "$(q two.db 'SELECT score || score_type FROM comments ORDER BY comment_id' | tr '\n' ' ')" "9.0nps 3.0nps 10.0nps "
printf 'id,kommentar,Nöjdhet\n3,Bra pris,4\n' > other.csv
expect_exit 1 "$TEMA" analyze --db three.db --text-column kommentar --score-column '#3' s.csv other.csv
expect_grep err "tema: error: other.csv: score column #3 'Nöjdhet' is csat by its name, but nps in an earlier file: give --score-type"
exit 0
