# Hostile conditions give a clear message and a non-zero exit, never a crash,
# and never a half-written store: an unwritable database path, a corrupt
# database file, a full disk (simulated with ulimit -f), a catastrophic
# regex in a user taxonomy, an oversized lexicon line, truncated gzip input.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
printf 'id;comment\n' > in.csv
i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); echo "$i;Leveransen var sen och kundtjänsten svarade aldrig, ärende $i"; done >> in.csv

# unwritable database path
expect_exit 1 "$TEMA" analyze --quiet --db /nonexistent/dir/t.db in.csv
expect_grep "$TMP/err" "tema: error: /nonexistent/dir/t.db"

# a corrupt database file: refused by the writer and by every reader
head -c 8192 /dev/urandom > bad.db
expect_exit 1 "$TEMA" analyze --quiet --db bad.db in.csv
expect_grep "$TMP/err" "bad.db"
for cmd in top scores drivers; do
    expect_exit 1 "$TEMA" $cmd --db bad.db
    expect_grep "$TMP/err" "bad.db: not a tema store"
done

# a full disk: the commit fails, the run is rolled back, the store stays valid
"$TEMA" analyze --quiet --db full.db in.csv 2>/dev/null || fail "first run"
before=$("$TEMA" top --db full.db --format json | jq .scope.comments)
expect_eq "comments before" "$before" "2000"
printf 'id;comment\n' > more.csv
i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); echo "$i;Nytt ärende nummer $i om fakturan som var fel igen och igen"; done >> more.csv
size=$(($(wc -c < full.db) / 512 + 40))
( trap '' XFSZ; ulimit -f $size; "$TEMA" analyze --quiet --db full.db more.csv ) >out 2>err
rc=$?
[ $rc -eq 1 ] || { cat err; fail "full disk: exit $rc, want 1"; }
expect_grep err "tema: error: full.db"
expect_grep err "rolled back"
after=$("$TEMA" top --db full.db --format json | jq .scope.comments)
expect_eq "comments after the failed run" "$after" "2000"

# a catastrophic pattern in a user taxonomy stops at the match limit, is
# counted and reported, and the run goes on (well within the time limit).
# "abab...abd c" keeps the pattern's literal "c" (so its prefilter lets it run)
# and has no run of three equal letters (so normalisation leaves it long).
cat > evil.tema <<'T'
[delivery.evil]
label: en=Evil
sv.regex: ^((ab)+)+c$
T
awk 'BEGIN { s = ""; for (i = 0; i < 15000; i++) s = s "ab"; print s "d c"; print "Leveransen var sen" }' > long.txt
timeout 60 "$TEMA" score --lang sv --taxonomy evil.tema long.txt > out.jsonl 2>err || { cat err; fail "score with a catastrophic regex"; }
expect_eq "one result per line" "$(wc -l < out.jsonl)" "2"
expect_eq "valid json" "$(jq -c .label out.jsonl | wc -l)" "2"
{ echo "id;comment"; awk '{ print NR ";" $0 }' long.txt; } > long.csv
timeout 60 "$TEMA" analyze --db evil.db --lang sv --taxonomy evil.tema long.csv > out 2> err ||
    { cat err; fail "analyze with a catastrophic regex"; }
expect_grep err "2 rows read: 2 analysed, 0 rejected"
expect_grep err "1 regex searches stopped by the match limit"

# a 100 KB comment that is one long list of theme names: the list search
# is linear (theme.c, find_lists(): per-token tables, each chain walked
# once), so it ends in seconds, not minutes; a short list beside it still
# shares its opinion
# the time a pathological comment may take: generous under the sanitizers
budget=5
case "${BUILD:-}" in *asan*) budget=30 ;; esac
awk 'BEGIN { s = ""; for (i = 0; i < 4000; i++) s = s "Leveransen, appen, priset, "; print s "var toppen"
             print "Leveransen, appen och priset var toppen" }' > lists.txt
timeout $budget "$TEMA" score --lang sv lists.txt > lists.jsonl 2>err || { cat err; fail "score of a long list"; }
expect_eq "long list: one result per line" "$(wc -l < lists.jsonl)" "2"
expect_eq "short list shares its opinion" \
    "$(sed -n 2p lists.jsonl | jq -c '[.themes[] | .label] | unique')" '["positive"]'

# comments built to make a rule rescan its sentence for every word it
# checks: no punctuation, so one clause.  A conditional with nothing wished
# for after it ("it would be nice" x 18000, 300 KB; find_acts()) and an hour
# count with no reply word near ("2 hours and in 3 hours and" x 35000, 950 KB; cues.c
# duration_at()) once took 10 s and more; linear, they take well under one.
awk 'BEGIN { s = ""; for (i = 0; i < 18000; i++) s = s "it would be nice "; print s }' > cond.txt
timeout $budget "$TEMA" score --lang en cond.txt > cond.jsonl 2>err ||
    { cat err; fail "score of a long run of conditionals within $budget s"; }
expect_eq "conditionals: one result" "$(jq -c .label cond.jsonl | wc -l)" "1"
awk 'BEGIN { s = ""; for (i = 0; i < 35000; i++) s = s "2 hours and in 3 hours and "; print s }' > hours.txt
timeout $budget "$TEMA" score --lang en hours.txt > hours.jsonl 2>err ||
    { cat err; fail "score of a long run of hour counts within $budget s"; }
expect_eq "hour counts: one result" "$(jq -c .label hours.jsonl | wc -l)" "1"
# thousands of implicit complaints in one comment: each once looked for an
# earlier one of its clause, each look a scan of the clauses (100 KB: 7 s;
# implicit.c); the comment must come out, and as the complaint it is
awk 'BEGIN { s = ""; for (i = 0; i < 4000; i++) s = s "Great, it arrived broken "; print s }' > broken.txt
timeout $budget "$TEMA" score --lang en broken.txt > broken.jsonl 2>err ||
    { cat err; fail "score of thousands of implicit complaints within $budget s"; }
expect_eq "implicit complaints: negative" "$(jq -r .label broken.jsonl)" "negative"
# a guarded near pair repeated in one sentence ("tåget ~6 försenad !@parcel",
# 1 MB without a full stop): each occurrence re-forms the pair, and each once
# scanned the whole sentence for the guard (40 s); the answer is now kept per
# rule and sentence (theme.c, gmemo).  The parcel guards the train's delay.
awk 'BEGIN { s = ""; for (i = 0; i < 33000; i++) s = s "tåget var försenad med paketet "; print s }' > guard.txt
timeout $budget "$TEMA" score --lang sv --no-model guard.txt > guard.jsonl 2>err ||
    { cat err; fail "score of a guarded pair repeated in one sentence within $budget s"; }
expect_eq "guarded pair: the parcel's delay, not the train's" \
    "$(jq -c '[.themes[].theme]' guard.jsonl)" '["delivery.late"]'

# an oversized lexicon line
awk 'BEGIN { s = ""; for (i = 0; i < 5000; i++) s = s "x"; print s "\t1" }' > huge.lex
expect_exit 1 "$TEMA" score --lexicon huge.lex in.csv
expect_grep "$TMP/err" "huge.lex:1: line longer than 4096 bytes"

# truncated gzip input: a clear error, nothing stored
gzip -c in.csv | head -c 3000 > cut.csv.gz
expect_exit 1 "$TEMA" analyze --quiet --db gz.db cut.csv.gz
expect_grep "$TMP/err" "cut.csv.gz"
if [ -f gz.db ]; then
    expect_eq "no run stored" "$("$TEMA" top --db gz.db --format json 2>/dev/null | jq .scope.comments)" "0"
fi
