/*
 * datadir.h: a scratch data folder for the unit tests that write their own
 * model files: /tmp/tema-NAME-PID with an empty models/ and the real
 * lexicons/ ($TEMA_DATA, else the working directory) linked in.
 * Header-only, like spec.h, because each test file is one program.
 */
#ifndef TEMA_TEST_DATADIR_H
#define TEMA_TEST_DATADIR_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates the folder and writes its path to 'root'.  Returns 0, or -1
 * when the lexicons cannot be linked (a cmocka group setup then fails). */
static int datadir_create(char *root, size_t cap, const char *name)
{
    const char *data = getenv("TEMA_DATA");
    char src[PATH_MAX], p[PATH_MAX], cwd[256];
    snprintf(root, cap, "/tmp/tema-%s-%ld", name, (long)getpid());
    mkdir(root, 0755);
    snprintf(p, sizeof p, "%s/models", root);
    mkdir(p, 0755);
    data = data && *data ? data : ".";
    if (data[0] == '/')
        snprintf(src, sizeof src, "%s/lexicons", data);
    else if (getcwd(cwd, sizeof cwd))
        snprintf(src, sizeof src, "%s/%s/lexicons", cwd, data);
    else
        return -1;
    snprintf(p, sizeof p, "%s/lexicons", root);
    return symlink(src, p) == 0 ? 0 : -1;
}

/* Removes the folder and all in it; returns 0 when that worked. */
static int datadir_remove(const char *root)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

#endif
