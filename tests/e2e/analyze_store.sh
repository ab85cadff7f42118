# tema analyze and the store: several files in one run, gzip and standard
# input, JSON Lines input, re-runs refused by content hash, --replace.
. "$(dirname "$0")/lib.sh"
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
F="$TEMA_DATA/tests/data/analyze/accounting.csv"
q() { "$Q" "$TMP/s.db" "$1"; }
cd "$TMP"
printf 'id,comment,nps\n1,Snabb leverans,9\n2,Dålig service,2\n3,Okej,7\n' > one.csv
printf '{"id":"a","comment":"Great app","nps":10}\n{"id":"b","comment":"Slow \\u00e4 delivery \\ud83d\\ude00","nps":"4"}\nnot json\n' > two.jsonl
gzip -c one.csv > one.csv.gz

# several files, one run: rows add up, each input recorded with its size
expect_exit 0 "$TEMA" analyze --db s.db --id-column id --score-column nps one.csv two.jsonl
expect_grep err "6 rows read: 5 analysed, 1 rejected"
expect_grep err "1 json-syntax"
expect_eq "inputs" "$(q 'SELECT path, size FROM inputs ORDER BY path' | tr '\t\n' ': ')" \
    "one.csv:$(wc -c < one.csv | tr -d ' ') two.jsonl:$(wc -c < two.jsonl | tr -d ' ') "
expect_eq "sources" "$(q 'SELECT source, count(*) FROM comments GROUP BY source' | tr '\t\n' ': ')" "one.csv:3 two.jsonl:2 "
expect_eq "json escapes" "$(q "SELECT text FROM comments WHERE ext_id = 'b'")" "Slow ä delivery 😀"
expect_eq "json number as text" "$(q "SELECT score FROM comments WHERE ext_id = 'b'")" "4.0"

# the same content again, under any name or compressed form that is byte-identical: refused
expect_exit 1 "$TEMA" analyze --db s.db one.csv
expect_grep err "input 'one.csv' is already in the store"
expect_grep err "use --replace"
expect_grep err "nothing was stored"
# a file input is recognised by its content before anything is analysed
expect_grep err "0 rows read: 0 analysed, 0 rejected"
cp one.csv copy.csv
expect_exit 1 "$TEMA" analyze --db s.db copy.csv
expect_grep err "same content as 'one.csv' of run 1"
expect_eq "still one run" "$(q 'SELECT count(*) FROM runs')" "1"
expect_eq "no duplicates" "$(q 'SELECT count(*) FROM comments')" "5"
# the same file twice in one run
expect_exit 1 "$TEMA" analyze --db s.db one.csv.gz copy.csv one.csv.gz
expect_eq "still one run" "$(q 'SELECT count(*) FROM runs')" "1"
# a pipe is read once, by the reader: the up-front content check must not
# consume it (tema analyze <(zcat export.csv.gz))
mkfifo pipe.csv
# (timeouts: a FIFO nobody opens, or nobody writes, would block the test)
timeout 60 sh -c "printf 'id,text\n1,Snabb leverans\n2,Trevlig personal\n' > pipe.csv" &
expect_exit 0 timeout 60 "$TEMA" analyze --db fifo.db pipe.csv
wait
expect_grep err "2 rows read: 2 analysed, 0 rejected"
printf 'id,text\n1,Bra\n' > new.csv
cp new.csv new-copy.csv
expect_exit 1 "$TEMA" analyze --db s.db new.csv new-copy.csv
expect_grep err "inputs 'new-copy.csv' and 'new.csv' have the same content"
expect_grep err "0 rows read"
expect_eq "still one run" "$(q 'SELECT count(*) FROM runs')" "1"

# gzip (different bytes, so a new input) and standard input
expect_exit 0 "$TEMA" analyze --db s.db --id-column id one.csv.gz
expect_grep err "3 rows read: 3 analysed, 0 rejected"
expect_eq "gzip size" "$(q "SELECT size FROM inputs WHERE path = 'one.csv.gz'")" "$(wc -c < one.csv.gz | tr -d ' ')"
expect_exit 1 "$TEMA" analyze --db s.db - < one.csv.gz
expect_grep err "same content as 'one.csv.gz' of run 2"
expect_exit 0 "$TEMA" analyze --db s.db --id-column id - < "$F"
expect_grep err "12 rows read: 10 analysed, 2 rejected"
expect_eq "stdin path" "$(q "SELECT count(*) FROM comments WHERE source = '-'")" "10"
expect_eq "runs" "$(q 'SELECT count(*) FROM runs')" "3"

# --replace: the earlier run's comments for that input go; counts unchanged
expect_exit 0 "$TEMA" analyze --db s.db --replace --id-column id --score-column nps one.csv
expect_grep err "stored as run 4"
expect_eq "replaced one.csv" "$(q "SELECT run_id, count(*) FROM comments WHERE source = 'one.csv' GROUP BY run_id")" "$(printf '4\t3')"
expect_eq "two.jsonl kept" "$(q "SELECT run_id, count(*) FROM comments WHERE source = 'two.jsonl' GROUP BY run_id")" "$(printf '1\t2')"
expect_eq "total" "$(q 'SELECT count(*) FROM comments')" "18"
expect_eq "no orphan mentions" "$(q 'SELECT count(*) FROM mentions WHERE comment_id NOT IN (SELECT comment_id FROM comments)')" "0"
# replacing the last input of a run removes that run
expect_exit 0 "$TEMA" analyze --db s.db --replace - < one.csv.gz
expect_eq "run 2 gone" "$(q 'SELECT group_concat(run_id) FROM runs')" "1,3,4,5"
expect_eq "total" "$(q 'SELECT count(*) FROM comments')" "18"
expect_eq "integrity" "$(q 'PRAGMA integrity_check')" "ok"
expect_eq "foreign keys" "$(q 'PRAGMA foreign_key_check' | wc -l)" "0"
exit 0
