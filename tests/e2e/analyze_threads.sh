# tema analyze --threads: one thread and two threads give byte-identical
# --out files and the same store contents, on a generated export large
# enough to spread over many batches.
. "$(dirname "$0")/lib.sh"
Q="$(dirname "$TEMA")/tools/store-query"
GEN="$(dirname "$TEMA")/tools/gen-corpus"
[ -x "$Q" ] && [ -x "$GEN" ] || fail "no $Q or $GEN"
cd "$TMP"
"$GEN" --mb 1 --format csv > big.csv
for n in 1 2 3; do
    expect_exit 0 "$TEMA" analyze --db t$n.db --threads $n --id-column id --date-column date \
        --touchpoint-column touchpoint --score-column nps --segment-column channel \
        --out t$n.jsonl big.csv
    "$TEMA" analyze --db c$n.db --threads $n --quiet --out t$n.csv big.csv 2>/dev/null || fail "csv $n"
done
rows=$(($(wc -l < big.csv) - 1))
expect_eq "rows" "$(wc -l < t1.jsonl | tr -d ' ')" "$rows"
cmp t1.jsonl t2.jsonl || fail "--threads 2 changed the jsonl output"
cmp t1.jsonl t3.jsonl || fail "--threads 3 changed the jsonl output"
cmp t1.csv t2.csv || fail "--threads 2 changed the csv output"
sql='SELECT comment_id, line, ext_id, date, lang, score, sentiment, label, text FROM comments ORDER BY comment_id'
"$Q" t1.db "$sql" > s1; "$Q" t2.db "$sql" > s2
cmp s1 s2 || fail "--threads 2 changed the store"
expect_eq "in input order" "$(jq -r .id t2.jsonl | head -3 | tr '\n' ' ')" "1 2 3 "
exit 0
