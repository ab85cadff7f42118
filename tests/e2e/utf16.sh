# tema analyze on UTF-16 exports (Excel "Unicode Text": UTF-16LE with a byte
# order mark, TAB-separated, CRLF): the stored text, lines and languages are
# those of the same export in UTF-8; gzip, standard input, UTF-16BE,
# --encoding for a file without a mark, a contradicting --encoding, and an
# unpaired surrogate repaired and counted.
. "$(dirname "$0")/lib.sh"
[ -f "$TEMA_DATA/models/langid.bin" ] || { echo "no language model"; exit 77; }
command -v iconv >/dev/null || { echo "no iconv"; exit 77; }
Q="$(dirname "$TEMA")/tools/store-query"
[ -x "$Q" ] || fail "no $Q"
q() { "$Q" "$TMP/$1" "$2"; }
cd "$TMP"

# The export, by hand: header on line 1, rows 1-3 on lines 2-4; row 4 is a
# quoted comment with a line break (lines 5-6), so row 5 is on line 7.
# 3 sv, 1 da, 1 en.
printf 'id\tkommentar\r\n' > u8.txt
printf '1\tLeveransen var försenad och kundtjänsten svarade aldrig på mina mejl\r\n' >> u8.txt
printf '2\tPakken kom alt for sent, og kundeservice har ikke svaret på min henvendelse\r\n' >> u8.txt
printf '3\tThe delivery was late and nobody answered my emails\r\n' >> u8.txt
printf '4\t"Snabb leverans och bra priser.\r\nMen appen kraschar hela tiden när jag ska betala"\r\n' >> u8.txt
printf '5\tSupersnabb leverans, tack så mycket 😀\r\n' >> u8.txt
iconv -f UTF-8 -t UTF-16LE u8.txt > body.le || fail "iconv"
{ printf '\377\376'; cat body.le; } > excel.txt
expect_eq "BOM" "$(head -c 2 excel.txt | od -An -tx1 | tr -d ' ')" "fffe"

expect_exit 0 "$TEMA" analyze --db u8.db u8.txt
expect_exit 0 "$TEMA" analyze --db le.db excel.txt
expect_grep err "tema: excel.txt: UTF-16LE (by its byte order mark"
expect_grep err "text column 'kommentar'"
expect_grep err "5 rows read: 5 analysed, 0 rejected"
expect_grep err "warnings: 0"
expect_grep err "languages: sv 3 da 1 en 1"
rows='SELECT line, lang, text FROM comments ORDER BY comment_id'
expect_eq "row 1 text" "$(q le.db "SELECT text FROM comments WHERE line = 2")" \
    "Leveransen var försenad och kundtjänsten svarade aldrig på mina mejl"
expect_eq "emoji text" "$(q le.db "SELECT text FROM comments WHERE line = 7")" \
    "Supersnabb leverans, tack så mycket 😀"
expect_eq "lines" "$(q le.db 'SELECT line FROM comments ORDER BY comment_id' | tr '\n' ' ')" "2 3 4 5 7 "
expect_eq "same as UTF-8" "$(q le.db "$rows")" "$(q u8.db "$rows")"
expect_eq "input size" "$(q le.db 'SELECT size FROM inputs')" "$(wc -c < excel.txt | tr -d ' ')"
# the raw bytes are hashed: the same file is refused, the UTF-8 one is not the same input
expect_exit 1 "$TEMA" analyze --db le.db excel.txt
expect_grep err "already in the store"
expect_exit 0 "$TEMA" analyze --db le.db --quiet u8.txt
grep -q "UTF-16" err && fail "a UTF-8 file noted as UTF-16"

# gzipped, and gzipped on standard input; --quiet drops the note
gzip -c excel.txt > excel.txt.gz
expect_exit 0 "$TEMA" analyze --db gz.db excel.txt.gz
expect_grep err "excel.txt.gz: UTF-16LE"
expect_eq "gzip same as UTF-8" "$(q gz.db "$rows")" "$(q u8.db "$rows")"
"$TEMA" analyze --db in.db --quiet - < excel.txt.gz 2> err || { cat err; fail "stdin"; }
grep -q "UTF-16" err && fail "--quiet still notes the encoding"
expect_grep err "5 rows read: 5 analysed, 0 rejected"
expect_eq "stdin same as UTF-8" "$(q in.db "$rows")" "$(q u8.db "$rows")"

# UTF-16BE with a mark; two files in one run (LE and BE)
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE u8.txt; } > be.txt
expect_exit 0 "$TEMA" analyze --db be.db be.txt
expect_grep err "be.txt: UTF-16BE (by its byte order mark"
expect_eq "BE same as UTF-8" "$(q be.db "$rows")" "$(q u8.db "$rows")"
expect_exit 0 "$TEMA" analyze --db two.db excel.txt be.txt
expect_grep err "10 rows read: 10 analysed, 0 rejected"

# no mark: --encoding utf16le reads it; without it, NULs everywhere (no UTF-16 note)
expect_exit 0 "$TEMA" analyze --db nobom.db --encoding utf16le body.le
expect_eq "no-BOM same as UTF-8" "$(q nobom.db "$rows")" "$(q u8.db "$rows")"
grep -q "byte order mark" err && fail "a note for a file without a mark"
expect_eq "encoding recorded" "$(q nobom.db 'SELECT json_extract(options, "$.encoding") FROM runs')" "utf16le"
expect_exit 1 "$TEMA" analyze --db x.db --encoding utf16 body.le
expect_grep err "body.le: .*has none"

# a mark that contradicts --encoding is an error naming the file (exit 1: the file, not the command line)
expect_exit 1 "$TEMA" analyze --db x.db --encoding utf16be excel.txt
expect_grep err "excel.txt: the byte order mark (FF FE) says UTF-16LE, but UTF-16BE was asked for"
expect_exit 1 "$TEMA" analyze --db x.db --encoding utf8 be.txt
expect_grep err "be.txt: the byte order mark says UTF-16BE, but --encoding utf8 was given"
expect_exit 1 "$TEMA" analyze --db x.db --encoding cp1252 excel.txt
expect_grep err "excel.txt: .*says UTF-16LE, but Windows-1252"
{ printf '\357\273\277'; cat u8.txt; } > bom8.txt
expect_exit 1 "$TEMA" analyze --db x.db --encoding utf16le bom8.txt
expect_grep err "bom8.txt: the byte order mark (EF BB BF) says UTF-8, but UTF-16LE was asked for"
[ -e x.db ] && [ "$(q x.db 'SELECT count(*) FROM runs')" != 0 ] && fail "a failed run was stored"
expect_exit 2 "$TEMA" analyze --db x.db --encoding utf32 excel.txt
expect_grep err "utf16le, utf16be or utf16"
expect_exit 0 "$TEMA" analyze --db ok.db --encoding utf16 be.txt
expect_grep err "be.txt: UTF-16BE (by its byte order mark"

# An unpaired high surrogate (D83D before "ok") in row 2 and half a code
# unit at the end: two U+FFFD, two repairs in the summary and the store.
{ printf '\377\376'; printf 'id\tkommentar\r\n1\tBra service\r\n2\t' | iconv -f UTF-8 -t UTF-16LE
  printf '\075\330'; printf 'ok\r\n3\tBra' | iconv -f UTF-8 -t UTF-16LE; printf 'x'; } > bad.txt
expect_exit 0 "$TEMA" analyze --db bad.db bad.txt
expect_grep err "3 rows read: 3 analysed, 0 rejected"
expect_grep err "warnings: 2 (2 invalid UTF-8 repaired)"
expect_eq "repaired text" "$(q bad.db "SELECT text FROM comments WHERE line = 3")" "$(printf '\357\277\275ok')"
expect_eq "odd byte" "$(q bad.db "SELECT text FROM comments WHERE line = 4")" "$(printf 'Bra\357\277\275')"
expect_eq "warnings stored" "$(q bad.db 'SELECT warnings FROM runs')" "2"
exit 0
