/*
 * regex.c: PCRE2 behind tema's own types.  Patterns are compiled once per
 * engine (JIT where available); each thread matches with its own match data
 * and JIT stack.  Every match runs under TEMA__RE_MATCH_LIMIT and
 * TEMA__RE_DEPTH_LIMIT so a catastrophic pattern fails fast instead of
 * backtracking for hours.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

struct tema__regex {
    pcre2_code *code;  /* compiled pattern */
    bool jit;          /* JIT compilation succeeded */
};

struct tema__rmatch {
    pcre2_match_data *md;        /* ovector */
    pcre2_match_context *ctx;    /* limits and JIT stack */
    pcre2_jit_stack *stack;      /* JIT stack */
    unsigned groups;             /* ovector pairs set by the last successful match; 0 after none */
};

tema_status tema__regex_compile(const char *pattern, size_t len, unsigned flags, tema__regex **out,
                                char *err, size_t errcap)
{
    *out = NULL;
    int code;
    PCRE2_SIZE offset;
    uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if (flags & TEMA__RE_CASELESS)
        opts |= PCRE2_CASELESS;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, len, opts, &code, &offset, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        if (err)
            snprintf(err, errcap, "bad pattern at offset %zu: %s", (size_t)offset, (char *)msg);
        return TEMA_ERR_PARSE;
    }
    tema__regex *re = calloc(1, sizeof *re);
    if (!re) {
        pcre2_code_free(c);
        return TEMA_ERR_NOMEM;
    }
    re->code = c;
    /* TEMA_NO_JIT=1 runs patterns in PCRE2's interpreter: valgrind cannot
     * follow JIT-generated code and reports false uninitialised reads
     * (`make valgrind` sets it).  Results are the same either way. */
    const char *nojit = getenv("TEMA_NO_JIT");
    re->jit = !(nojit && *nojit && *nojit != '0') && pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) == 0;
    *out = re;
    return TEMA_OK;
}

void tema__regex_free(tema__regex *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    free(re);
}

tema_status tema__rmatch_new(tema__rmatch **out)
{
    tema__rmatch *m = calloc(1, sizeof *m);
    if (!m)
        return TEMA_ERR_NOMEM;
    m->md = pcre2_match_data_create(16, NULL);
    m->ctx = pcre2_match_context_create(NULL);
    m->stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
    if (!m->md || !m->ctx || !m->stack) {
        tema__rmatch_free(m);
        return TEMA_ERR_NOMEM;
    }
    pcre2_set_match_limit(m->ctx, TEMA__RE_MATCH_LIMIT);
    pcre2_set_depth_limit(m->ctx, TEMA__RE_DEPTH_LIMIT);
    pcre2_jit_stack_assign(m->ctx, NULL, m->stack);
    *out = m;
    return TEMA_OK;
}

void tema__rmatch_free(tema__rmatch *m)
{
    if (!m)
        return;
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->ctx);
    pcre2_jit_stack_free(m->stack);
    free(m);
}

void tema__rmatch_set_match_limit(tema__rmatch *m, uint32_t limit)
{
    pcre2_set_match_limit(m->ctx, limit);
}

int tema__regex_search(const tema__regex *re, tema__rmatch *m, const char *subject, size_t len,
                       size_t start, size_t *mstart, size_t *mend)
{
    m->groups = 0;
    if (start > len)
        return 0;
    int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, start, 0, m->md, m->ctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return -1; /* match/depth/JIT stack limit, or another error */
    m->groups = rc == 0 ? pcre2_get_ovector_count(m->md) : (unsigned)rc;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    *mstart = ov[0];
    *mend = ov[1];
    return 1;
}

bool tema__regex_group(const tema__rmatch *m, unsigned group, size_t *start, size_t *end)
{
    if (group >= m->groups)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    if (ov[2 * group] == PCRE2_UNSET)
        return false;
    *start = ov[2 * group];
    *end = ov[2 * group + 1];
    return true;
}
