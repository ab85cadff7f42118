# A run interrupted with SIGINT or SIGTERM is rolled back: the store keeps
# only the earlier runs and stays consistent, --out is removed, the summary
# says so, and the exit status is 128 + the signal.
. "$(dirname "$0")/lib.sh"
Q="$(dirname "$TEMA")/tools/store-query"
GEN="$(dirname "$TEMA")/tools/gen-corpus"
[ -x "$Q" ] && [ -x "$GEN" ] || fail "no $Q or $GEN"
cd "$TMP"
printf 'id,comment\n1,first run\n' > small.csv
expect_exit 0 "$TEMA" analyze --db k.db small.csv
"$GEN" --mb 40 --format csv > big.csv
for sig in INT TERM; do
    "$TEMA" analyze --db k.db --threads 2 --out big.jsonl big.csv 2>err &
    pid=$!
    # wait until rows are being written, then interrupt
    i=0; while [ $i -lt 100 ] && [ ! -s big.jsonl ]; do sleep 0.1; i=$((i + 1)); done
    sleep 0.3
    kill -$sig $pid
    wait $pid; rc=$?
    want=130; [ $sig = TERM ] && want=143
    [ $rc -eq $want ] || { cat err; fail "SIG$sig: exit $rc, want $want"; }
    expect_grep err "interrupted by SIG$sig: the run was rolled back"
    # rows read = analysed + rejected even when interrupted
    line=$(grep 'rows read' err)
    r=$(echo "$line" | sed 's/.*: \([0-9]*\) rows read: \([0-9]*\) analysed, \([0-9]*\) rejected/\1 \2 \3/')
    set -- $r
    [ "$1" -gt 0 ] && [ "$1" -eq $(($2 + $3)) ] || fail "books: $line"
    [ -e big.jsonl ] && fail "--out left behind after SIG$sig"
    expect_eq "runs" "$("$Q" k.db 'SELECT count(*) FROM runs')" "1"
    expect_eq "comments" "$("$Q" k.db 'SELECT count(*) FROM comments')" "1"
    expect_eq "inputs" "$("$Q" k.db 'SELECT group_concat(path) FROM inputs')" "small.csv"
done
expect_eq "integrity" "$("$Q" k.db 'PRAGMA integrity_check')" "ok"
# the store still takes runs
printf 'id,comment\n2,second run\n' > small2.csv
expect_exit 0 "$TEMA" analyze --db k.db small2.csv
expect_eq "runs after" "$("$Q" k.db 'SELECT count(*) FROM runs')" "2"
exit 0
