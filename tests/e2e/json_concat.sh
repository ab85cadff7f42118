# tema analyze on the two JSON export shapes of issue 4. (1) Objects one
# after another on a line, as `jq -c` output joined without newlines: each
# is a record of that line, whether the format is detected or asked for
# (json, jsonl), gzipped or on standard input; text between two objects is
# a rejected row naming file:line:column, and a cut-off last object a
# rejected row. (2) A one-line .json record with an array-of-objects member
# ("answers") is that record, not an API response wrapping "answers"; so is
# the same record pretty-printed, and a JSON Lines file whose first line
# has such a member is read line by line as before.
. "$(dirname "$0")/lib.sh"
[ -f "$TEMA_DATA/models/langid.bin" ] || { echo "no language model"; exit 77; }
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
q() { "$Q" "$TMP/$1" "$2" | tr '\t' '|' | tr '\n' ' '; }
cd "$TMP"

# (1) Line 1 holds two objects with nothing between them, line 2 two with
# white space between them.
printf '{"id":1,"comment":"Bra service"}{"id":2,"comment":"Dålig leverans"}\n' > cc.jsonl
printf '{"id":3,"comment":"Trevlig personal"} \t {"id":4,"comment":"Appen kraschar"}\n' >> cc.jsonl
all="1|1|Bra service 1|2|Dålig leverans 2|3|Trevlig personal 2|4|Appen kraschar "
rows='SELECT line, ext_id, text FROM comments ORDER BY comment_id'
for f in auto json jsonl; do
    opt=""; [ $f = auto ] || opt="--format $f"
    # shellcheck disable=SC2086
    expect_exit 0 "$TEMA" analyze --db $f.db --id-column id $opt cc.jsonl
    expect_grep err "text column 'comment' (by its name"
    expect_grep err "4 rows read: 4 analysed, 0 rejected"
    expect_eq "$f" "$(q $f.db "$rows")" "$all"
done
gzip -c cc.jsonl > cc.jsonl.gz
expect_exit 0 "$TEMA" analyze --db g.db --id-column id cc.jsonl.gz
expect_grep err "4 rows read: 4 analysed, 0 rejected"
expect_eq "gzip" "$(q g.db "$rows")" "$all"
"$TEMA" analyze --db s.db --id-column id - < cc.jsonl 2>err || { cat err; fail "stdin"; }
expect_grep err "4 rows read: 4 analysed, 0 rejected"
expect_eq "stdin" "$(q s.db "$rows")" "$all"
"$TEMA" analyze --db sg.db --id-column id --format jsonl - < cc.jsonl.gz 2>err || { cat err; fail "stdin gz"; }
expect_eq "stdin gzip" "$(q sg.db "$rows")" "$all"

# Text between two objects: the object before it is rejected with the rest
# of its line; the 'x' follows {"id":5,"comment":"Bra"} (24 bytes), so it
# is at column 25. The last object is cut off: its string opens at column
# 48 of line 3 ({"id":7,"comment":"Bra pris"} is 29 bytes, then
# {"id":8,"comment": is 18 more).
printf '{"id":5,"comment":"Bra"}x{"id":6,"comment":"Dåligt"}\n' > bad.jsonl
printf '{"id":9,"comment":"Snabb leverans"}\n' >> bad.jsonl
printf '{"id":7,"comment":"Bra pris"}{"id":8,"comment":"Leveransen tog' >> bad.jsonl
expect_exit 0 "$TEMA" analyze --db b.db --id-column id --rejects b.rej bad.jsonl
expect_grep err "4 rows read: 2 analysed, 2 rejected"
expect_eq "bad" "$(q b.db "$rows")" "2|9|Snabb leverans 3|7|Bra pris "
expect_eq "rejects" "$(tail -n +2 b.rej | cut -f2-5 | tr '\t' '|' | tr '\n' ' ')" \
    '1|json-syntax|bad.jsonl:1:25: text after the object [json-syntax]|{"id":5,"comment":"Bra"}x{"id":6,"comment":"Dåligt"} 3|json-syntax|bad.jsonl:3:48: a string is not closed [json-syntax]|{"id":8,"comment":"Leveransen tog '

# (2) One record with an array of objects: "comment" is its text, and no
# member is named as the records.
printf '{"id":1,"comment":"Bra service","answers":[{"q":"nps","v":9}]}\n' > one.json
for f in auto json; do
    opt=""; [ $f = auto ] || opt="--format $f"
    # shellcheck disable=SC2086
    expect_exit 0 "$TEMA" analyze --db one-$f.db --id-column id $opt one.json
    expect_grep err "text column 'comment' (by its name"
    expect_grep err "1 rows read: 1 analysed, 0 rejected"
    [ -z "$(grep 'JSON records from member' err)" ] || fail "$f: a record taken for a wrapper"
    expect_eq "one $f" "$(q one-$f.db "$rows")" "1|1|Bra service "
done
# Pretty-printed, with the array before the text.
cat > pretty.json <<'J'
{
  "id": 2,
  "answers": [
    {"q": "nps", "v": 3}
  ],
  "comment": "Leveransen var försenad"
}
J
expect_exit 0 "$TEMA" analyze --db p.db --id-column id pretty.json
expect_grep err "1 rows read: 1 analysed, 0 rejected"
[ -z "$(grep 'JSON records from member' err)" ] || fail "pretty: a record taken for a wrapper"
expect_eq "pretty" "$(q p.db "$rows")" "1|2|Leveransen var försenad "
# JSON Lines whose first line has such a member: two records, as before.
printf '{"id":1,"comment":"Bra service","answers":[{"q":"nps","v":9}]}\n{"id":2,"comment":"Dålig leverans"}\n' > two.json
expect_exit 0 "$TEMA" analyze --db t.db --id-column id two.json
expect_grep err "2 rows read: 2 analysed, 0 rejected"
expect_eq "two" "$(q t.db "$rows")" "1|1|Bra service 2|2|Dålig leverans "
# An API response still wraps its records, the member named on stderr.
printf '{"page":1,"list":[{"id":1,"comment":"Bra service"},{"id":2,"comment":"Dålig leverans"}],"next":null}\n' > api.json
expect_exit 0 "$TEMA" analyze --db a.db --id-column id api.json
expect_grep err "JSON records from member 'list' (the first array of records; --records to choose)"
expect_eq "api" "$(q a.db "$rows")" "1|1|Bra service 1|2|Dålig leverans "
exit 0
