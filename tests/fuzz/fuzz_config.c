/*
 * fuzz_config.c — the config parser (.claudit.json / --config) on arbitrary
 * bytes: it either accepts the file or returns an error, which, as main.c
 * prints it (cl_diag_clean), is one line of valid UTF-8 without control
 * bytes or a whole key.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/config.h"
#include "support/diag.h"
#include "fuzz.h"
#include "scan/secrets.h"
#include "support/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!cl_secrets_init())
		fuzz_fail("initialisation failed");
	fuzz_dir();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_write(".claudit.json", data, size);
	struct cl_config c;
	cl_config_defaults(&c);
	char *err = NULL;
	if (!cl_config_load(&c, path, false, &err)) {
		if (!err || !*err)
			fuzz_fail("a rejected config without an error");
		char *shown = cl_diag_clean(err);
		for (const unsigned char *p = (const unsigned char *)shown; *p;) {
			size_t k = *p < 0x20 || *p == 0x7f ? 0 : cl_utf8_seq(p);
			if (!k)
				fuzz_fail("a control byte or bad UTF-8 in a config error");
			p += k;
		}
		if (cl_secrets_contains_key(shown, strlen(shown)))
			fuzz_fail("a whole key in a config error");
		free(shown);
	} else if (err) {
		fuzz_fail("an accepted config with an error");
	}
	free(err);
	cl_config_finish(&c);
	unlink(path);
	free(path);
	return 0;
}
