/*
 * api.c: small public functions with no module of their own: version,
 * status names, language codes, token type names, tema_free.
 */
#include <stdlib.h>
#include <strings.h>

#include "common.h"

const char *tema_version(void)
{
    return TEMA_VERSION_STRING;
}

const char *tema_errstr(tema_status status)
{
    switch (status) {
    case TEMA_OK: return "ok";
    case TEMA_DONE: return "no more items";
    case TEMA_ERR_NOMEM: return "out of memory";
    case TEMA_ERR_IO: return "input/output error";
    case TEMA_ERR_UTF8: return "invalid UTF-8";
    case TEMA_ERR_PARSE: return "malformed input";
    case TEMA_ERR_STORE: return "store error";
    case TEMA_ERR_MISUSE: return "invalid argument";
    case TEMA_ERR_LIMIT: return "limit exceeded";
    case TEMA_ERR_NOTFOUND: return "not found";
    case TEMA_ERR_ROW: return "row rejected";
    case TEMA_ERR_EXISTS: return "already exists";
    case TEMA_ERR_AMBIGUOUS: return "ambiguous name";
    }
    return "unknown status";
}

void tema_free(void *p)
{
    free(p);
}

static const char *const lang_codes[TEMA_LANG_COUNT] = {"und", "sv", "da", "no", "en"};

const char *tema_lang_code(tema_lang lang)
{
    return lang >= TEMA_LANG_UND && lang < TEMA_LANG_COUNT ? lang_codes[lang] : "und";
}

tema_status tema_lang_parse(const char *code, size_t len, tema_lang *lang)
{
    static const struct {
        const char *code;
        tema_lang lang;
    } names[] = {{"und", TEMA_LANG_UND}, {"sv", TEMA_LANG_SV}, {"se", TEMA_LANG_SV},
                 {"swe", TEMA_LANG_SV}, {"da", TEMA_LANG_DA}, {"dk", TEMA_LANG_DA},
                 {"dan", TEMA_LANG_DA}, {"no", TEMA_LANG_NO}, {"nb", TEMA_LANG_NO},
                 {"nn", TEMA_LANG_NO},  {"nob", TEMA_LANG_NO}, {"nno", TEMA_LANG_NO},
                 {"nor", TEMA_LANG_NO}, {"en", TEMA_LANG_EN}, {"eng", TEMA_LANG_EN}};
    if (!code || !lang)
        return TEMA_ERR_MISUSE;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].code) == len && strncasecmp(names[i].code, code, len) == 0) {
            *lang = names[i].lang;
            return TEMA_OK;
        }
    return TEMA_ERR_NOTFOUND;
}

const char *tema_token_type_name(tema_token_type type)
{
    static const char *const names[TEMA_TOK_TYPE_COUNT] = {
        "word", "number", "amount", "url", "email", "mention", "hashtag",
        "emoji", "emoticon", "punct", "symbol"};
    return type >= 0 && type < TEMA_TOK_TYPE_COUNT ? names[type] : "unknown";
}
