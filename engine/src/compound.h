/*
 * compound.h: splitting Swedish, Danish and Norwegian compounds into known
 * parts (leveranstiden -> leverans + tid).  Used by themes (`part:` rules)
 * and by sentiment (jättebra -> jätte + bra).
 */
#ifndef TEMA_COMPOUND_H
#define TEMA_COMPOUND_H

#include "engine.h"

typedef struct tema__compound tema__compound;

/* Most parts one split may have; longer chains are not worth the search. */
#define TEMA__COMPOUND_MAX_PARTS 6
/* Shortest part in bytes: two-letter words ("in", "by") split too much. */
#define TEMA__COMPOUND_MIN_PART 3
/* Shortest part when the whole is itself a dictionary word (or an
 * inflection of one): "produkt" is not pro + dukt, "kundtjänst" is kund +
 * tjänst. */
#define TEMA__COMPOUND_MIN_WORD_PART 4
/* Shortest part when a part is split again: kundeservice -> kunde +
 * service, but levering stays whole (not leve + ring). */
#define TEMA__COMPOUND_MIN_SUBPART 5
/* Longest word that is tried, in bytes. */
#define TEMA__COMPOUND_MAX_WORD 96

/* One decomposition.  Parts before the last are written as in the word
 * (without the linking -s-/-e-); the last part (the head) is its
 * dictionary form without the inflection ending, so "tiden" gives "tid". */
typedef struct tema__split {
    unsigned n;                                    /* parts; 0 when the word does not split */
    uint8_t start[TEMA__COMPOUND_MAX_PARTS];       /* byte offset of each part in the word */
    uint8_t len[TEMA__COMPOUND_MAX_PARTS];         /* bytes of each part in the word */
    char text[TEMA__COMPOUND_MAX_WORD * 2];        /* the parts, each NUL-terminated */
} tema__split;

/* Loads the list for 'lang' from '<data_dir>/build/compound-<lang>.txt'
 * (written by `make` from the hunspell dictionaries: sorted base forms, one
 * per line, '#' comments).  A missing list is
 * not an error: '*out' is NULL and that language does not split.  Errors
 * in a list that exists are reported as "file:line: message" in 'err'. */
tema_status tema__compound_load(const char *data_dir, tema_lang lang, tema__compound **out,
                                char *err, size_t errcap);
void tema__compound_free(tema__compound *c);

/* Parts the list holds, for `tema themes` and tests. */
size_t tema__compound_size(const tema__compound *c);

/* Splits the normalised 'word' into the decomposition with the fewest parts
 * and, among those, the longest head; parts before the head are split again
 * when they are compounds themselves (kundeservice + medarbejder -> kunde +
 * service + medarbejder).  A hyphenated word splits at its hyphens
 * (vipps-betalingen -> vipps + betaling; docs/themes.md, "Hyphenated
 * compounds").  Returns the number of parts (0: no split).
 * Thread-safe: 'c' is read-only. */
unsigned tema__compound_split(const tema__compound *c, const char *word, size_t len,
                              tema__split *out);

/* The length of the dictionary form 'word' starts with when the rest is an
 * inflection ending ("paketet" -> 3 + ... "paket"), or 0 when 'word' is not
 * an inflected dictionary word.  Snowball leaves some such forms apart
 * (paketet/paket, lådan/låda, leveransen/leverans), so matching compares
 * the stem of this base form too. */
size_t tema__compound_base(const tema__compound *c, const char *word, size_t len);

/* Fills w->parts_off/parts_len ("a\0b\0" in d->wtext) for a new word record;
 * called once per distinct word before the lexicon and theme resolvers. */
void tema__compound_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                            const char *norm, size_t len);

#endif
