/*
 * stem.c: Snowball stemming through libstemmer (Snowball 2.2.0 in Debian 12).
 * Snowball stemmers keep state, so each tema_doc owns its own; the engine
 * stays read-only.
 */
#include "stem.h"

#include <libstemmer.h>
#include <stdlib.h>

struct tema__stemmer {
    struct sb_stemmer *sb;  /* libstemmer handle */
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

tema_status tema__stemmer_new(tema_lang lang, tema__stemmer **out)
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
    *out = st;
    return TEMA_OK;
}

void tema__stemmer_free(tema__stemmer *st)
{
    if (!st)
        return;
    sb_stemmer_delete(st->sb);
    free(st);
}

tema_status tema__stem(tema__stemmer *st, const char *word, size_t len, const char **stem,
                       size_t *stem_len)
{
    if (len > INT32_MAX)
        return TEMA_ERR_LIMIT;
    const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)len);
    if (!r)
        return TEMA_ERR_NOMEM;
    *stem = (const char *)r;
    *stem_len = (size_t)sb_stemmer_length(st->sb);
    return TEMA_OK;
}
