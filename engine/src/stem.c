/*
 * stem.c: Snowball stemming through libstemmer (Snowball 2.2.0 in Debian 12).
 * Snowball stemmers keep state, so each tema_doc owns its own; the engine
 * stays read-only.  The loaders' stemmers remember what they stemmed: the
 * lexicons and the taxonomy stem each distinct word about three times
 * (inflections and phrases share words), and a stem costs about 1,100
 * instructions against 100 for a probe.  A doc's stemmer does not: its
 * bounded word cache (doc.c) already asks once per distinct word.
 */
#include "stem.h"

#include <libstemmer.h>
#include <stdlib.h>

/* One remembered word: where its word and stem bytes are in 'text'. */
typedef struct memo_entry {
    uint64_t hash;   /* tema__hash of the word */
    uint32_t off;    /* the word's bytes in 'text', its stem right after */
    uint32_t len;    /* the word's length */
    uint32_t slen;   /* the stem's length */
} memo_entry;

struct tema__stemmer {
    struct sb_stemmer *sb;  /* libstemmer handle */
    bool memo;              /* remember each word's stem (loaders only) */
    uint32_t *slot;         /* open-addressing table: entry index + 1, 0 empty */
    size_t nslot;           /* slots, a power of two (0 until the first word) */
    memo_entry *ent;        /* remembered words, in order of first stemming */
    size_t nent, capent;    /* entries used and allocated */
    tema__buf text;         /* word and stem bytes of every entry */
};

static const char *algorithm(tema_lang lang)
{
    switch (lang) {
    case TEMA_LANG_SV: return "swedish";
    case TEMA_LANG_DA: return "danish";
    case TEMA_LANG_NO: return "norwegian";
    case TEMA_LANG_EN: return "english";
    default: return NULL;
    }
}

static tema_status stemmer_new(tema_lang lang, bool memo, tema__stemmer **out)
{
    *out = NULL;
    const char *alg = algorithm(lang);
    if (!alg)
        return TEMA_ERR_MISUSE;
    tema__stemmer *st = calloc(1, sizeof *st);
    if (!st)
        return TEMA_ERR_NOMEM;
    st->sb = sb_stemmer_new(alg, "UTF_8");
    if (!st->sb) {
        free(st);
        return TEMA_ERR_NOMEM;
    }
    st->memo = memo;
    *out = st;
    return TEMA_OK;
}

tema_status tema__stemmer_new(tema_lang lang, tema__stemmer **out)
{
    return stemmer_new(lang, false, out);
}

tema_status tema__stemmer_new_memo(tema_lang lang, tema__stemmer **out)
{
    return stemmer_new(lang, true, out);
}

void tema__stemmer_free(tema__stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    free(st->slot);
    free(st->ent);
    tema__buf_free(&st->text);
    free(st);
}

static tema_status snowball(tema__stemmer *st, const char *word, size_t len, const char **stem,
                            size_t *stem_len)
{
    const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)len);
    if (!r)
        return TEMA_ERR_NOMEM;
    *stem = (const char *)r;
    *stem_len = (size_t)sb_stemmer_length(st->sb);
    return TEMA_OK;
}

/* Doubles the slot table (or makes the first one) and re-inserts every
 * entry; keeps the load at most one half. */
static tema_status memo_grow(tema__stemmer *st)
{
    size_t n = st->nslot ? st->nslot * 2 : 1024;
    uint32_t *slot = calloc(n, sizeof *slot);
    if (!slot)
        return TEMA_ERR_NOMEM;
    for (size_t i = 0; i < st->nent; i++) {
        size_t k = (size_t)st->ent[i].hash & (n - 1);
        while (slot[k])
            k = (k + 1) & (n - 1);
        slot[k] = (uint32_t)(i + 1);
    }
    free(st->slot);
    st->slot = slot;
    st->nslot = n;
    return TEMA_OK;
}

tema_status tema__stem(tema__stemmer *st, const char *word, size_t len, const char **stem,
                       size_t *stem_len)
{
    if (len > INT32_MAX)
        return TEMA_ERR_LIMIT;
    if (!st->memo)
        return snowball(st, word, len, stem, stem_len);
    if (2 * (st->nent + 1) > st->nslot && memo_grow(st) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    uint64_t h = tema__hash(word, len);
    size_t k = (size_t)h & (st->nslot - 1);
    for (; st->slot[k]; k = (k + 1) & (st->nslot - 1)) {
        const memo_entry *m = &st->ent[st->slot[k] - 1];
        if (m->hash == h && m->len == len && memcmp(st->text.p + m->off, word, len) == 0) {
            *stem = st->text.p + m->off + len;
            *stem_len = m->slen;
            return TEMA_OK;
        }
    }
    tema_status rc = snowball(st, word, len, stem, stem_len);
    if (rc != TEMA_OK)
        return rc;
    if (st->nent == st->capent) {
        size_t cap = st->capent ? st->capent * 2 : 1024;
        memo_entry *v = realloc(st->ent, cap * sizeof *v);
        if (!v)
            return TEMA_ERR_NOMEM;
        st->ent = v;
        st->capent = cap;
    }
    if (st->text.len + len + *stem_len > UINT32_MAX)
        return TEMA_OK; /* too much text to remember: the stem is still right */
    size_t off = st->text.len;
    /* 'word' may point into a previous answer (inside 'text'), so the
     * room is made before either is copied from its offset. */
    const char *sb_stem = *stem;
    size_t sl = *stem_len;
    bool word_inside = st->text.p && word >= st->text.p && word < st->text.p + st->text.len;
    size_t word_off = word_inside ? (size_t)(word - st->text.p) : 0;
    if (tema__buf_reserve(&st->text, len + sl) != TEMA_OK)
        return TEMA_ERR_NOMEM;
    memcpy(st->text.p + off, word_inside ? st->text.p + word_off : word, len);
    memcpy(st->text.p + off + len, sb_stem, sl);
    st->text.len += len + sl;
    memo_entry *m = &st->ent[st->nent++];
    m->hash = h;
    m->off = (uint32_t)off;
    m->len = (uint32_t)len;
    m->slen = (uint32_t)sl;
    st->slot[k] = (uint32_t)st->nent;
    *stem = st->text.p + off + len;
    return TEMA_OK;
}
