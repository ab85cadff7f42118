/*
 * compound.c: compound splitting for sv, da and no.  The word lists come
 * from the hunspell dictionaries (tools/compound-parts, run by `make`) as
 * one sorted list of base forms; the last part of a compound may add an
 * inflection ending ("tiden" = "tid" + "en").  A list is one read-only
 * buffer searched by bisection, so loading costs one read and one pass, and a split is a
 * short dynamic programme over the word's split points, done once per
 * distinct word (the doc caches the parts).
 */
#include "compound.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* A sorted list of byte strings inside one buffer. */
typedef struct sorted_list {
    uint32_t *off;  /* start of each entry in the buffer */
    uint8_t *len;   /* its length (entries are at most 255 bytes) */
    size_t n;       /* entries */
} sorted_list;

struct tema__compound {
    char *buf;                   /* the file's bytes */
    sorted_list parts;           /* dictionary words, the parts of compounds */
    const char *const *endings;  /* inflection endings of the language */
};

/* Inflection endings a head may carry after its dictionary form, shortest
 * first (the dictionaries list base forms: "tid", not "tiden"). */
static const char *const endings_sv[] = {
    "", "s", "n", "t", "a", "e", "r", "ns", "ts", "en", "et", "na", "ar", "er", "or", "as", "es",
    "rs", "ens", "ets", "nas", "ars", "ers", "ors", "rna", "ade", "arna", "erna", "orna", "rnas",
    "arnas", "ernas", "ornas", NULL};
static const char *const endings_dano[] = {
    "", "s", "n", "t", "a", "e", "r", "ns", "ts", "en", "et", "ne", "er", "as", "es", "rs", "ens",
    "ets", "nes", "ene", "ers", "rne", "enes", "erne", "rnes", "ernes", NULL};

void tema__compound_free(tema__compound *c)
{
    if (!c)
        return;
    free(c->buf);
    free(c->parts.off);
    free(c->parts.len);
    free(c);
}

size_t tema__compound_size(const tema__compound *c)
{
    return c ? c->parts.n : 0;
}

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r)
        return r;
    return alen < blen ? -1 : alen > blen;
}

static bool list_has(const tema__compound *c, const sorted_list *l, const char *s, size_t len)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = cmp_bytes(c->buf + l->off[mid], l->len[mid], s, len);
        if (r == 0)
            return true;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static tema_status list_push(sorted_list *l, size_t *cap, uint32_t off, uint8_t len)
{
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 65536;
        uint32_t *o = realloc(l->off, nc * sizeof *o);
        if (!o)
            return TEMA_ERR_NOMEM;
        l->off = o;
        uint8_t *n = realloc(l->len, nc);
        if (!n)
            return TEMA_ERR_NOMEM;
        l->len = n;
        *cap = nc;
    }
    l->off[l->n] = off;
    l->len[l->n] = len;
    l->n++;
    return TEMA_OK;
}

/* Loading reads half a million short lines, so it works on 8 bytes at a
 * time where the byte order allows: the newlines of each 8 bytes at once,
 * and each entry's first 8 bytes as one big-endian number for the order
 * check.  The text is followed by 8 zero bytes, so a load at any offset
 * before its end stays inside the buffer. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
#define SWAR_LOAD 1
static inline uint64_t load8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}
#endif

/* The loader's state between entries. */
typedef struct loading {
    const unsigned char *b;  /* the text */
    size_t prev, prev_len;   /* the entry before (offset, length) */
    uint64_t prev_key;       /* its order key (key()) */
    bool have_prev;          /* an entry came before */
    size_t cap;              /* entries allocated in the list */
} loading;

/* The first 8 bytes of an entry of 'len' bytes, zero-padded, as a number
 * whose order is the bytes' order: when two keys differ, they order their
 * entries as cmp_bytes() does (a shorter entry differs by a zero where
 * the longer has a byte); equal keys leave it to cmp_bytes(). */
static inline uint64_t key(const unsigned char *p, size_t len)
{
#ifdef SWAR_LOAD
    uint64_t x = load8(p);
    if (len < 8)
        x &= (1ull << (8 * len)) - 1;
    return __builtin_bswap64(x);
#else
    (void)p, (void)len;
    return 0; /* every pair goes to cmp_bytes() */
#endif
}

/* Adds the line [p, e) unless it is empty or a comment.  Returns
 * TEMA_ERR_PARSE with 'why' set for an entry over 255 bytes or out of
 * order (bisection silently misses entries in an unsorted list). */
static inline tema_status add_line(tema__compound *c, loading *L, size_t p, size_t e,
                                   const char **why)
{
    size_t len = e - p;
    if (len == 0 || L->b[p] == '#')
        return TEMA_OK;
    if (len > 255) {
        *why = "entry longer than 255 bytes";
        return TEMA_ERR_PARSE;
    }
    uint64_t k = key(L->b + p, len);
    if (L->have_prev &&
        (k < L->prev_key ||
         (k == L->prev_key && cmp_bytes((const char *)L->b + L->prev, L->prev_len,
                                        (const char *)L->b + p, len) >= 0))) {
        *why = "entries not in byte order";
        return TEMA_ERR_PARSE;
    }
    tema_status st = list_push(&c->parts, &L->cap, (uint32_t)p, (uint8_t)len);
    L->prev = p;
    L->prev_len = len;
    L->prev_key = k;
    L->have_prev = true;
    return st;
}

tema_status tema__compound_load(const char *data_dir, tema_lang lang, tema__compound **out,
                                char *err, size_t errcap)
{
    *out = NULL;
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/build/compound-%s.txt", data_dir, tema_lang_code(lang)) >=
        (int)sizeof path)
        return TEMA_ERR_LIMIT;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? TEMA_OK : (tema__setmsg(err, errcap, "%s: cannot open", path),
                                           TEMA_ERR_IO);
    tema__compound *c = calloc(1, sizeof *c);
    tema_status st = TEMA_ERR_NOMEM;
    long size;
    if (!c || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
        size >= (long)UINT32_MAX)
        goto fail;
    /* 8 zero bytes after the text: the loader reads lines 8 bytes at a time */
    c->buf = malloc((size_t)size + 8);
    if (!c->buf)
        goto fail;
    memset(c->buf + size, 0, 8);
    if (fread(c->buf, 1, (size_t)size, f) != (size_t)size) {
        tema__setmsg(err, errcap, "%s: read failed", path);
        st = TEMA_ERR_IO;
        goto fail;
    }
    c->endings = lang == TEMA_LANG_SV ? endings_sv : endings_dano;
    loading L = {.b = (const unsigned char *)c->buf};
    size_t n = (size_t)size, p = 0;
    int line = 0;
    const char *why = NULL;
#ifdef SWAR_LOAD
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, nl = 0x0A0A0A0A0A0A0A0Aull;
    for (size_t q = 0; q < n; q += 8) {
        uint64_t x = load8(L.b + q) ^ nl; /* newlines become zero bytes */
        /* the high bit of each zero byte, exactly (no borrow between bytes) */
        uint64_t z = ~(((x & low7) + low7) | x | low7);
        while (z) {
            size_t e = q + (size_t)(__builtin_ctzll(z) >> 3);
            z &= z - 1;
            line++;
            if ((st = add_line(c, &L, p, e, &why)) != TEMA_OK)
                goto bad;
            p = e + 1;
        }
    }
#else
    for (const char *e; p < n && (e = memchr(c->buf + p, '\n', n - p)) != NULL;) {
        line++;
        if ((st = add_line(c, &L, p, (size_t)(e - c->buf), &why)) != TEMA_OK)
            goto bad;
        p = (size_t)(e - c->buf) + 1;
    }
#endif
    if (p < n) { /* the last line has no newline */
        line++;
        if ((st = add_line(c, &L, p, n, &why)) != TEMA_OK)
            goto bad;
    }
    fclose(f);
    *out = c;
    return TEMA_OK;
bad:
    if (why)
        tema__setmsg(err, errcap, "%s:%d: %s", path, line, why);
fail:
    fclose(f);
    tema__compound_free(c);
    if (st == TEMA_ERR_NOMEM)
        tema__setmsg(err, errcap, "%s: out of memory", path);
    return st;
}

/* Best decomposition of word[i..] (dynamic programme from the end). */
typedef struct cell {
    uint8_t n;     /* parts; 0: no decomposition */
    uint8_t head;  /* bytes of the head (the last part) */
    uint8_t end;   /* end of the first part (== len for a head only) */
    uint8_t next;  /* where the next part starts (after a linking letter) */
} cell;

/* Fewest parts, then the longest head, then the longest first part (a
 * part as written beats a shorter one plus a linking letter: kjempe +
 * fornøyd, not kjemp + e + fornøyd). */
static bool better(unsigned n, unsigned head, unsigned end, const cell *b)
{
    return b->n == 0 || n < b->n || (n == b->n && head > b->head) ||
           (n == b->n && head == b->head && end > b->end);
}

/* The length of the dictionary form at the start of word[0..len) when the
 * rest is an inflection ending (none unless 'inflected'), else 0.  The
 * longest ending wins: "tjänstens" is tjänst + ens, not the compound-only
 * form "tjänste" + ns. */
static size_t head_form(const tema__compound *c, const char *w, size_t len, size_t minpart,
                        bool inflected)
{
    size_t ne = 0;
    while (c->endings[ne])
        ne++;
    for (size_t k = inflected ? ne : 1; k-- > 0;) {
        const char *const *e = &c->endings[k];
        size_t el = strlen(*e);
        if (len < el + minpart || memcmp(w + len - el, *e, el) != 0)
            continue;
        if (list_has(c, &c->parts, w, len - el))
            return len - el;
    }
    return 0;
}

/* Fills 'dp' for word[from..len); dp[i] for i in [from, len].  At 'from'
 * a single part (the word itself) is not a split, so it is left out.
 * Parts are at least 'minpart' bytes. */
static void solve(const tema__compound *c, const char *w, size_t from, size_t len,
                  size_t minpart, bool inflected, cell *dp)
{
    for (size_t i = len + 1; i-- > from;) {
        cell *b = &dp[i];
        memset(b, 0, sizeof *b);
        size_t rest = len - i;
        if (rest < TEMA__COMPOUND_MIN_PART)
            continue;
        if (i > from && head_form(c, w + i, rest, TEMA__COMPOUND_MIN_PART, inflected)) {
            b->n = 1;
            b->head = (uint8_t)rest;
            b->end = b->next = (uint8_t)len;
        }
        for (size_t j = i + minpart; j + TEMA__COMPOUND_MIN_PART <= len; j++) {
            if (!list_has(c, &c->parts, w + i, j - i))
                continue;
            /* The part as it stands, or followed by a linking -s- or -e-. */
            for (size_t k = j; k <= j + 1; k++) {
                if (k > j && w[j] != 's' && w[j] != 'e')
                    break;
                const cell *nx = &dp[k];
                if (nx->n == 0 || nx->n + 1u > TEMA__COMPOUND_MAX_PARTS)
                    continue;
                if (better(nx->n + 1u, nx->head, (unsigned)j, b)) {
                    b->n = (uint8_t)(nx->n + 1);
                    b->head = nx->head;
                    b->end = (uint8_t)j;
                    b->next = (uint8_t)k;
                }
            }
        }
    }
}

/* Appends part [s, e) of 'w' to 'out' (raw text), splitting it again when
 * it is itself a compound and room remains. */
static void emit_part(const tema__compound *c, const char *w, size_t s,
                      size_t e, tema__split *out, size_t *tlen, unsigned room)
{
    if (room > 1 && e - s >= 2 * TEMA__COMPOUND_MIN_SUBPART) {
        cell dp[TEMA__COMPOUND_MAX_WORD + 1];
        solve(c, w + s, 0, e - s, TEMA__COMPOUND_MIN_SUBPART, false, dp);
        if (dp[0].n >= 2 && dp[0].n <= room) {
            size_t i = 0;
            while (i < e - s && out->n < TEMA__COMPOUND_MAX_PARTS) {
                const cell *b = &dp[i];
                size_t pe = b->end;
                out->start[out->n] = (uint8_t)(s + i);
                out->len[out->n] = (uint8_t)(pe - i);
                memcpy(out->text + *tlen, w + s + i, pe - i);
                *tlen += pe - i;
                out->text[(*tlen)++] = '\0';
                out->n++;
                if (b->n == 1)
                    break;
                i = b->next;
            }
            return;
        }
    }
    out->start[out->n] = (uint8_t)s;
    out->len[out->n] = (uint8_t)(e - s);
    memcpy(out->text + *tlen, w + s, e - s);
    *tlen += e - s;
    out->text[(*tlen)++] = '\0';
    out->n++;
}

/* Is word[0..len) one inflection ending of the language ("en" in
 * "sms-en", "erne" in "sms-erne"): an abbreviation inflected after a
 * hyphen, one word rather than two. */
static bool is_ending(const tema__compound *c, const char *w, size_t len)
{
    for (const char *const *e = c->endings; *e; e++)
        if (strlen(*e) == len && memcmp(*e, w, len) == 0)
            return true;
    return false;
}

/* "vipps-betalingen", "kundeservice-medarbejderen": each side of a hyphen
 * is a part; the last side is the head, split as a word is (its parts, the
 * last in its dictionary form: betalingen -> betaling), the others as a
 * compound's parts are (only into parts of MIN_SUBPART bytes or more:
 * kundeservice -> kunde + service, bankid stays whole); a side the list
 * does not know is a part as written (a brand: vipps, postnord).  A side of one letter (e-post,
 * t-shirt, H-ön), a head that is only an inflection ending (sms-en) or
 * shorter than a part, and sides with digits (20-30, COVID-19) make no
 * split: such words are lexicalised or name nothing. */
static unsigned split_hyphenated(const tema__compound *c, const char *word, size_t len,
                                 tema__split *out)
{
    size_t tlen = 0;
    for (size_t s = 0; s < len;) {
        const char *h = memchr(word + s, '-', len - s);
        size_t e = h ? (size_t)(h - word) : len;
        bool head = e == len;
        if (e - s < 2 || (head && (e - s < TEMA__COMPOUND_MIN_PART || is_ending(c, word + s, e - s))))
            break;
        for (size_t i = s; i < e; i++)
            if ((unsigned char)word[i] < 0x80 && !(word[i] >= 'a' && word[i] <= 'z'))
                goto none;
        unsigned room = TEMA__COMPOUND_MAX_PARTS - out->n;
        if (room == 0)
            break;
        if (!head) {
            /* as a compound's first part: split again only into long parts
             * (kundeservice, but not bankid into ban + kid) */
            emit_part(c, word, s, e, out, &tlen, room);
            s = e + 1;
            continue;
        }
        tema__split sub;
        unsigned k = e - s >= 2 * TEMA__COMPOUND_MIN_PART
                         ? tema__compound_split(c, word + s, e - s, &sub) : 0;
        if (k >= 2 && k <= room) {
            for (unsigned i = 0, o = 0; i < k; i++) {
                size_t pl = strlen(sub.text + o);
                out->start[out->n] = (uint8_t)(s + sub.start[i]);
                out->len[out->n] = sub.len[i];
                memcpy(out->text + tlen, sub.text + o, pl + 1);
                tlen += pl + 1;
                o += (unsigned)pl + 1;
                out->n++;
            }
        } else {
            size_t b = head_form(c, word + s, e - s, TEMA__COMPOUND_MIN_PART, true);
            size_t pl = b ? b : e - s;
            out->start[out->n] = (uint8_t)s;
            out->len[out->n] = (uint8_t)(e - s);
            memcpy(out->text + tlen, word + s, pl);
            tlen += pl;
            out->text[tlen++] = '\0';
            out->n++;
        }
        return out->n;
    }
none:
    out->n = 0;
    return 0;
}

unsigned tema__compound_split(const tema__compound *c, const char *word, size_t len,
                              tema__split *out)
{
    out->n = 0;
    if (!c || len < 2 * TEMA__COMPOUND_MIN_PART || len > TEMA__COMPOUND_MAX_WORD)
        return 0;
    bool hyphen = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)word[i];
        if (ch < 0x80 && !(ch >= 'a' && ch <= 'z')) {
            if (ch != '-')
                return 0; /* digits, apostrophes: not a plain compound */
            hyphen = true;
        }
    }
    if (hyphen)
        return split_hyphenated(c, word, len, out);
    /* An inflected form of a dictionary word is split in its base form
     * ("leveransen": leverans, which lever + ans does not form), with
     * longer parts ("produkt" is not pro + dukt, "kundtjänst" is kund +
     * tjänst).  Other words split as they stand, the head inflected. */
    size_t base = head_form(c, word, len, 1, true);
    size_t wl = base ? base : len;
    cell dp[TEMA__COMPOUND_MAX_WORD + 1];
    solve(c, word, 0, wl, base ? TEMA__COMPOUND_MIN_WORD_PART : TEMA__COMPOUND_MIN_PART, !base,
          dp);
    if (dp[0].n < 2)
        return 0;
    size_t tlen = 0, i = 0;
    unsigned top = dp[0].n;
    for (unsigned k = 0; k < top && out->n < TEMA__COMPOUND_MAX_PARTS; k++) {
        const cell *b = &dp[i];
        if (b->n == 1) {
            /* The head in its dictionary form ("tiden" gives "tid"), split
             * again when it is a compound itself (kunde +
             * servicemedarbejder -> kunde + service + medarbejder). */
            size_t hl = base ? wl - i
                             : head_form(c, word + i, len - i, TEMA__COMPOUND_MIN_PART, true);
            emit_part(c, word, i, i + hl, out, &tlen, TEMA__COMPOUND_MAX_PARTS - out->n);
            out->len[out->n - 1] = (uint8_t)(len - out->start[out->n - 1]);
            break;
        }
        unsigned room = TEMA__COMPOUND_MAX_PARTS - out->n - (top - k - 1);
        emit_part(c, word, i, b->end, out, &tlen, room);
        i = b->next;
    }
    return out->n;
}

size_t tema__compound_base(const tema__compound *c, const char *word, size_t len)
{
    if (!c)
        return 0;
    size_t b = head_form(c, word, len, TEMA__COMPOUND_MIN_PART, true);
    return b == len ? 0 : b;
}

void tema__compound_resolve(const tema_engine *e, tema_doc *d, tema_lang lang, tema__word *w,
                            const char *norm, size_t len)
{
    w->parts_off = w->parts_len = 0;
    if (!e || !e->compound[lang])
        return;
    tema__split sp;
    if (tema__compound_split(e->compound[lang], norm, len, &sp) < 2)
        return;
    size_t bytes = 0;
    for (unsigned i = 0; i < sp.n; i++)
        bytes += strlen(sp.text + bytes) + 1;
    uint32_t off = (uint32_t)d->wc->wtext.len;
    if (tema__buf_append(&d->wc->wtext, sp.text, bytes) != TEMA_OK)
        return; /* no parts: the word still matches as a whole */
    w->parts_off = off;
    w->parts_len = (uint32_t)bytes;
}
