# lexicons/all/other-languages.txt must hold no word of sv, da, no or en: such
# a word would count as foreign evidence in a Nordic comment.  Every entry is
# checked against the project's own sv/da/no/en texts (always) and against the
# Snowball vocabularies and the UD sentences in $SHARED (skipped cleanly when
# absent).  Words that those sources hold only as foreign words or names were
# reviewed one by one and are listed below; a new clash fails until reviewed.
. "$(dirname "$0")/lib.sh"
LIST="$TEMA_DATA/lexicons/all/other-languages.txt"
[ -f "$LIST" ] || fail "no $LIST"

# The normalised word forms of the text on stdin, one per line, sorted.
words() { "$TEMA" tokens --lang en | awk -F'\t' '$1 == "word" { print $4 }' | sort -u; }

grep -v '^[[:space:]]*#' "$LIST" | awk -F'\t' 'NF { print $1 }' | words > "$TMP/list"
n=$(wc -l < "$TMP/list")
[ "$n" -ge 1000 ] || fail "only $n words in $LIST"

# Reviewed: in the sources below only inside a foreign quotation, as a name or
# as a rare loan, never as an ordinary sv/da/no/en word of customer feedback.
#   Snowball/UD: German (aber: Danish plural of "abe", rare; als: the island
#   Als; dus: Swedish "vara dus", rare; hier, mein: "Mein Kampf" in UD no),
#   French quoted in English (c'est: one UD sentence; est: abbreviation),
#   Spanish/Portuguese/Italian (para: Swedish slang for money, rare in
#   feedback; como: Lake Como; las: Las Vegas), and the rest, which the
#   vocabularies hold from foreign names and quotations.
#   Own texts: kiitos (an English comment that thanks in Finnish).
cat > "$TMP/reviewed" <<'EOF'
aber aga als aus aux avec avons bem bien bir bist bonjour bonne buen buena c'est ces
cher como cosa danke das della delle drogo dus een eine ela entre es esse est ganz
hatten hea hier hän ich il ile ilman ils immer io ist je jest keine las leur leurs loja
mauvais mehr mein meine meiner mes muss muy nad nic nicht niente non notre nous nulla
oder oni otro ou pani para por que qui sehr seid sein sem sobre sondern sont sou sous
sua tego tous tout toute toutes tra uma und uns vom vous wat welche wer wie wil ze zu
zur kiitos
EOF
tr ' ' '\n' < "$TMP/reviewed" | grep . | sort -u > "$TMP/ok"

# clashes FILE WHAT: listed words found in FILE (sorted words) and not reviewed
clashes() {
    comm -12 "$TMP/list" "$1" | comm -23 - "$TMP/ok" > "$TMP/clash"
    [ -s "$TMP/clash" ] && fail "$2 also has: $(tr '\n' ' ' < "$TMP/clash")"
    return 0
}

# The project's own Nordic and English text (not corpora/langid/other*.tsv,
# whose Nordic comments quote foreign words on purpose: merci, gracias).
{ cat "$TEMA_DATA"/corpora/langid/sv.txt "$TEMA_DATA"/corpora/langid/da.txt \
      "$TEMA_DATA"/corpora/langid/no.txt "$TEMA_DATA"/corpora/langid/en.txt
  cut -f2- "$TEMA_DATA"/corpora/themes/*.tsv
  for l in sv da no en; do cut -f1 "$TEMA_DATA"/lexicons/$l/*.txt | grep -v '^#'; done
} | words > "$TMP/own"
clashes "$TMP/own" "the project's sv/da/no/en texts"

# The check must be able to fail: a Danish word put in the list is caught.
echo ikke >> "$TMP/list"; sort -o "$TMP/list" "$TMP/list"
( clashes "$TMP/own" x ) 2>/dev/null && fail "a Danish word was not caught"
grep -v -x ikke "$TMP/list" > "$TMP/list2"; mv "$TMP/list2" "$TMP/list"

S=${SHARED:-}/corpora
[ -n "${SHARED:-}" ] && [ -f "$S/langid/ud-dev.tsv" ] && [ -f "$S/snowball/swedish/voc.txt" ] ||
    { echo "own texts checked; no shared corpora for the Snowball and UD check"; exit 77; }
for v in swedish danish norwegian english; do
    [ -f "$S/snowball/$v/voc.txt" ] || fail "no $S/snowball/$v/voc.txt"
    sort -u "$S/snowball/$v/voc.txt" > "$TMP/voc"
    clashes "$TMP/voc" "the Snowball $v vocabulary"
done
awk -F'\t' 'NR > 1 { print $2 }' "$S/langid/ud-dev.tsv" | words > "$TMP/ud"
clashes "$TMP/ud" "the UD sv/da/no/en sentences"
exit 0
