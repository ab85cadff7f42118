# The line commands (score, lang, tokens, stem, themes --coverage) read
# their input through the library's input layer, as `tema analyze` does:
# gzip by its magic bytes (file and standard input), UTF-16 by its byte
# order mark with CRLF line ends, a UTF-8 byte order mark dropped, and
# --encoding cp1252.  Each variant's output must be byte for byte that of
# the same text in plain UTF-8 (cmp); what that text gives is checked by hand
# where it is known (offsets, stems, one output line per input line).
. "$(dirname "$0")/lib.sh"
[ -f "$TEMA_DATA/models/langid.bin" ] || { echo "no language model"; exit 77; }
command -v iconv >/dev/null || { echo "no iconv"; exit 77; }
command -v gzip >/dev/null || { echo "no gzip"; exit 77; }
cd "$TMP"

# Five comments (sv, da, en, an empty line, sv with an emoji), LF.
printf 'Leveransen var försenad och kundtjänsten svarade aldrig på mina mejl\n' > u8.txt
printf 'Pakken kom alt for sent, og kundeservice har ikke svaret på min henvendelse\n' >> u8.txt
printf 'The delivery was late and nobody answered my emails\n' >> u8.txt
printf '\n' >> u8.txt
printf 'Supersnabb leverans, tack så mycket 😀\n' >> u8.txt
# Words for stem, one per line.
printf 'leveransen\nkundtjänsten\nåtgärder\n' > w8.txt

# The variants of each: gzip, UTF-16LE with a mark and CRLF (Excel's
# "Unicode Text"), UTF-8 with a mark and CRLF.
for f in u8 w8; do
    gzip -c $f.txt > $f.txt.gz
    sed 's/$/\r/' $f.txt > $f.crlf
    { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE $f.crlf; } > $f.le.txt || fail "iconv"
    { printf '\357\273\277'; cat $f.crlf; } > $f.bom.txt
done
expect_eq "UTF-16LE mark" "$(head -c 4 u8.le.txt | od -An -tx1 | tr -d ' ')" "fffe4c00"

# same NAME CMD...: CMD on each variant (and gzip on standard input) writes
# exactly what it writes for the plain UTF-8 file.
same() {
    name=$1; base=$2; shift 2
    "$@" $base.txt > ref 2> err || { cat err; fail "$name: plain UTF-8"; }
    [ -s ref ] || fail "$name: no output"
    for v in txt.gz le.txt bom.txt; do
        "$@" $base.$v > got 2> err || { cat err; fail "$name: $v exited $?"; }
        cmp -s ref got || { diff ref got | head >&2; fail "$name: $v differs from UTF-8"; }
    done
    "$@" - < $base.txt.gz > got 2> err || { cat err; fail "$name: gzip on stdin"; }
    cmp -s ref got || fail "$name: gzip on standard input differs from UTF-8"
}

same "score" u8 "$TEMA" score
expect_eq "score: one object per input line" "$(wc -l < ref | tr -d ' ')" "5"
# the sv and da comments name late deliveries: spans (offsets into the UTF-8
# line) are compared too, not only labels
expect_grep ref '"span":\['
same "score --explain tsv" u8 "$TEMA" score --no-themes --explain --format tsv
same "lang" u8 "$TEMA" lang
expect_eq "lang, first comment" "$(head -1 ref)" "sv"
same "tokens" u8 "$TEMA" tokens --lang sv
# The first token starts at byte 0 (no byte order mark before it), and
# "försenad" is bytes 15-24 of the UTF-8 line (ö is two bytes).
expect_eq "first token" "$(head -1 ref | cut -f1-4)" "word	0	10	leveransen"
expect_eq "försenad" "$(sed -n 3p ref | cut -f1-4)" "word	15	24	försenad"
same "stem" w8 "$TEMA" stem --lang sv
expect_eq "stems" "$(tr '\n' ' ' < ref)" "leverans kundtjänst åtgärd "
same "themes --coverage" u8 sh -c '"$0" themes --coverage "$1" --format json' "$TEMA"
expect_grep ref '"comments":4,'

# --encoding cp1252: E5 is å.  The text is read as UTF-8 after that, so
# offsets are into the UTF-8 line: "kåka" is 5 bytes.
printf 'k\345ka\r\n' > cp.txt
expect_exit 0 "$TEMA" tokens --lang sv --encoding cp1252 cp.txt
expect_eq "cp1252 token" "$(head -1 out)" "word	0	5	kåka	kåk	-"
expect_exit 0 "$TEMA" stem --lang sv --encoding windows-1252 cp.txt
expect_eq "cp1252 stem" "$(cat out)" "kåk"
printf 'Leveransen var f\366rsenad och kundtj\344nsten svarade aldrig p\345 mina mejl\n' > sv1252.txt
head -1 u8.txt > sv8.txt
"$TEMA" score sv8.txt > ref || fail "score sv8"
expect_exit 0 "$TEMA" score --encoding cp1252 sv1252.txt
cmp -s ref out || fail "score --encoding cp1252 differs from the UTF-8 text"
expect_exit 0 "$TEMA" lang --encoding latin1 sv1252.txt
expect_eq "latin1 lang" "$(cat out)" "sv"
# UTF-16LE without a mark, named.
iconv -f UTF-8 -t UTF-16LE u8.crlf > nomark.txt
"$TEMA" lang u8.txt > ref
expect_exit 0 "$TEMA" lang --encoding utf16le nomark.txt
cmp -s ref out || fail "lang --encoding utf16le differs from UTF-8"

# The errors of `tema analyze`: an unknown name is a usage error, a mark
# that contradicts the named encoding is fatal.
for cmd in "score" "lang" "tokens" "stem --lang sv" "themes --coverage u8.txt"; do
    expect_exit 2 "$TEMA" $cmd --encoding ebcdic u8.txt
    expect_grep err "encoding must be utf8, cp1252, latin1, utf16le, utf16be or utf16, not 'ebcdic'"
done
expect_exit 1 "$TEMA" score --encoding utf8 u8.le.txt
expect_grep err "u8.le.txt: the byte order mark says UTF-16LE, but --encoding utf8 was given"
expect_exit 1 "$TEMA" lang --encoding utf16be u8.le.txt
expect_grep err "the byte order mark (FF FE) says UTF-16LE, but UTF-16BE was asked for"
expect_exit 1 "$TEMA" tokens --encoding utf16 u8.txt
expect_grep err "UTF-16 by the byte order mark was asked for, but the file has none"
expect_exit 1 "$TEMA" themes --coverage - --encoding utf8 < u8.le.txt
expect_grep err "<stdin>: the byte order mark says UTF-16LE, but --encoding utf8 was given"
expect_exit 2 "$TEMA" themes --encoding cp1252
expect_grep err "encoding goes with --coverage"
# Corrupt gzip is fatal, after the lines before the damage.
head -c 20 u8.txt.gz > cut.gz
expect_exit 1 "$TEMA" lang cut.gz
expect_grep err "cut.gz: corrupt gzip data"
exit 0
