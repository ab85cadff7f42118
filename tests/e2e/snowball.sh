# tema stem must agree 100% with Snowball's published vocabularies
# (../shared/corpora/snowball: voc.txt -> output.txt) for all four languages.
. "$(dirname "$0")/lib.sh"
dir="$SHARED/corpora/snowball"
[ -d "$dir" ] || { echo "no $dir: Snowball vocabularies absent"; exit 77; }
for pair in swedish:sv danish:da norwegian:no english:en; do
    name=${pair%%:*}; lang=${pair#*:}
    "$TEMA" stem --lang "$lang" "$dir/$name/voc.txt" > "$TMP/$lang.out" || fail "tema stem --lang $lang failed"
    total=$(wc -l < "$dir/$name/output.txt")
    got=$(wc -l < "$TMP/$lang.out")
    expect_eq "$name line count" "$got" "$total"
    bad=$(paste "$TMP/$lang.out" "$dir/$name/output.txt" | awk -F'\t' '$1 != $2' | wc -l)
    [ "$bad" -eq 0 ] || { paste "$dir/$name/voc.txt" "$TMP/$lang.out" "$dir/$name/output.txt" | awk -F'\t' '$2 != $3' | head >&2; fail "$name: $bad of $total stems differ"; }
    echo "$name: $total/$total stems agree"
done
