/*
 * fuzz.h — what the libFuzzer harnesses (tests/fuzz/fuzz_*.c) share: a
 * private scratch directory for the files an input becomes, and a loud
 * failure for a broken invariant (libFuzzer saves the input on abort).
 */
#ifndef CL_FUZZ_H
#define CL_FUZZ_H
#include <stddef.h>
#include <stdint.h>

/* A fresh directory under $TMPDIR (or /tmp), removed at exit. */
const char *fuzz_dir(void);
/* Writes [data, data + len) to DIR/NAME; returns the path (caller frees). */
char *fuzz_write(const char *name, const void *data, size_t len);
/* Prints WHAT and aborts. */
_Noreturn void fuzz_fail(const char *what);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
