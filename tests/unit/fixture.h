/*
 * fixture.h: the engine and document that a unit test file's tests share,
 * created by the cmocka group setup and freed by its teardown.
 * Header-only, like spec.h, because each test file is one program; the
 * functions are inline so a file that uses only some of them still builds
 * without unused-function warnings.
 */
#ifndef TEMA_TEST_FIXTURE_H
#define TEMA_TEST_FIXTURE_H

#include "tema.h"

static tema_engine *engine; /* the group's engine */
static tema_doc *doc;       /* a document on 'engine' */

/* Creates 'engine' from 'cfg' and 'doc' on it.  Returns 0, or -1 when
 * either fails (cmocka then skips the group's tests as failed). */
static inline int fixture_open(const tema_config *cfg)
{
    if (tema_engine_new(cfg, &engine) == TEMA_OK && tema_doc_new(engine, &doc) == TEMA_OK)
        return 0;
    /* cmocka runs no group teardown after a failed setup: free here */
    tema_engine_free(engine);
    engine = NULL;
    return -1;
}

/* Group setup: the rules-only text pipeline, no model and no themes, with
 * the data folder found as tema_engine_new() finds it ($TEMA_DATA). */
static inline int fixture_setup_text(void **state)
{
    (void)state;
    tema_config cfg;
    tema_config_init(&cfg);
    cfg.options = TEMA_OPT_NO_MODEL | TEMA_OPT_NO_THEMES;
    return fixture_open(&cfg);
}

/* Group teardown: frees 'doc' and 'engine'. */
static inline int fixture_teardown(void **state)
{
    (void)state;
    tema_doc_free(doc);
    tema_engine_free(engine);
    return 0;
}

#endif
