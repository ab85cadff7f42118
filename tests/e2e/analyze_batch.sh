# tema analyze's workers analyse their rows in runs of up to 64 rows or 64 KB,
# stage by stage (workers.c, tema_doc_analyze_batch_each()), each row with its
# own options.  The run must store exactly what one row at a time stores
# (TEMA_ANALYZE_RUN_ROWS=1, read by cmd_analyze.c for this test only), on an
# export mixing the four languages, rows with and without a language and a
# touchpoint column value, invalid UTF-8, empty comments, rows long enough to
# close a run by bytes, and a rejected row in the middle.
. "$(dirname "$0")/lib.sh"
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
cd "$TMP"
# id;lang;touchpoint;nps;comment.  Kinds 3 and 4 are the same text, the
# first with a touchpoint value (its opinion, on no theme, goes under
# other.after: a delivery is after the purchase) and the second without (other);
# kind 5 is Swedish text forced to English by the language column.
cat > kinds <<'ROWS'
;;;Bra produkt men leveransen tog två veckor
;;;Pakken kom aldrig frem og kundeservice svarede ikke
;Leverans;9;Jättebra, tack!
;;9;Jättebra, tack!
en;;;Väntade 45 minuter i telefonkö. Inte okej.
;Kundeservice;3;Kjempefornøyd med appen, men fakturagebyret er frekt!!
da;;7;Kundeservicemedarbejderen var super hjælpsom
;;;The refund took three weeks and nobody ever called back 😡
;;10;
no;Levering;1;Appen er elendig 👎 og leveringen var sen
ROWS
kinds=$(wc -l < kinds | tr -d ' ')
# a comment of about 40 KB: two of them do not fit one 64 KB run
long=$(awk 'BEGIN { for (k = 0; k < 1000; k++) printf "Leveransen var sen och appen kraschar. "; }')
{
    printf 'id;lang;touchpoint;nps;comment\n'
    i=0
    while [ $i -lt 300 ]; do
        k=$((i % kinds + 1))
        printf '%d;%s\n' "$i" "$(sed -n "${k}p" kinds)"
        i=$((i + 1))
        if [ $i -eq 150 ]; then
            printf '%d;;;elva;Ett betyg som inte är ett tal\n' "$i"   # rejected: score-not-numeric
            printf '%d;sv;;;Fel tecken \377 i mitten\n' $((i + 1))    # invalid UTF-8, repaired
            printf '%d;;;5;%s\n%d;;Leverans;4;%s\n' $((i + 2)) "$long" $((i + 3)) "$long"
            i=$((i + 4))
        fi
    done
} > mixed.csv
run() {  # run NAME [VAR=VALUE...]: analyse mixed.csv into NAME.db and NAME.jsonl
    n=$1; shift
    env "$@" "$TEMA" analyze --db "$n.db" --threads 1 --id-column id --lang-column lang \
        --touchpoint-column touchpoint --score-column nps --out "$n.jsonl" mixed.csv \
        >/dev/null 2>"$n.err"; rc=$?
    [ $rc -eq 0 ] || { cat "$n.err" >&2; fail "analyze $n exited $rc"; }
}
run runs
run single TEMA_ANALYZE_RUN_ROWS=1
expect_grep runs.err "300 rows read: 299 analysed, 1 rejected"
expect_grep runs.err "1 score-not-numeric"
expect_grep single.err "300 rows read: 299 analysed, 1 rejected"
# what the row options must give (worked out from the kinds above)
row() { jq -c "select(.id == \"$1\") | $2" runs.jsonl; }
expect_eq "touchpoint column: other.after" "$(row 2 '[.themes[].theme]')" '["other.after"]'
expect_eq "no touchpoint: other" "$(row 3 '[.themes[].theme]')" '["other"]'
expect_eq "the same after the long rows" "$(row 202 '[.themes[].theme]')$(row 203 '[.themes[].theme]')" '["other.after"]["other"]'
expect_eq "language column: en" "$(row 4 .lang)" '"en"'
expect_eq "language column: da" "$(row 6 .lang)" '"da"'
expect_eq "detected: sv" "$(row 0 .lang)" '"sv"'
expect_eq "the rejected row is not stored" "$(row 150 .id)" ""
expect_eq "repaired" "$(row 151 .lang)" '"sv"'
q() { "$Q" "$1" "$2"; }
expect_eq "U+FFFD stored" "$(q runs.db "SELECT instr(text, char(65533)) > 0 FROM comments WHERE ext_id = '151'")" "1"
# and everything the same as one row at a time
cmp runs.jsonl single.jsonl || fail "runs of rows changed the --out file: $(diff runs.jsonl single.jsonl | head -4)"
for sql in 'SELECT comment_id, line, ext_id, date, lang, score, sentiment, label, text FROM comments ORDER BY comment_id' \
           'SELECT * FROM mentions ORDER BY 1, 2, 3' \
           'SELECT * FROM rollup ORDER BY 1, 2, 3, 4, 5'; do
    q runs.db "$sql" > a; q single.db "$sql" > b
    [ -s a ] || fail "empty: $sql"
    cmp -s a b || fail "runs of rows changed the store: $sql: $(diff a b | head -4)"
done
exit 0
