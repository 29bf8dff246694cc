/*
 * config.c — .claudit.json: a JSON object of known keys; anything else is
 * an error naming the key.
 */
#include "config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void cl_config_defaults(struct cl_config *c)
{
	c->max_tokens_limit = 8192;
	c->timeout_max_s = 300;
	c->cache_min_tokens = 1024;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		if (n > (16u << 20))
			break;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

static bool number_in(const cJSON *v, double lo, double hi, double *out)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo || v->valuedouble > hi)
		return false;
	*out = v->valuedouble;
	return true;
}

bool cl_config_load(struct cl_config *c, const char *path, char **err)
{
	size_t len;
	char *text = slurp(path, &len);
	if (!text) {
		*err = xasprintf("%s: cannot read config: %s", path, strerror(errno));
		return false;
	}
	cJSON *doc = cJSON_ParseWithLength(text, len);
	if (!doc) {
		size_t off = (size_t)(cJSON_GetErrorPtr() - text);
		*err = xasprintf("%s: invalid JSON near byte %zu", path, off < len ? off : len);
		free(text);
		return false;
	}
	free(text);
	bool ok = true;
	if (!cJSON_IsObject(doc)) {
		*err = xasprintf("%s: the config must be a JSON object", path);
		ok = false;
	}
	const cJSON *e;
	cJSON *top = ok ? doc : NULL;
	cJSON_ArrayForEach(e, top) {
		double v;
		if (!strcmp(e->string, "$schema")) {
			continue;
		} else if (!strcmp(e->string, "max_tokens_limit")) {
			if (!number_in(e, 1, 1e7, &v)) {
				*err = xasprintf("%s: max_tokens_limit: expected an integer from 1 to 10000000", path);
				ok = false;
				break;
			}
			c->max_tokens_limit = (int)v;
		} else if (!strcmp(e->string, "timeout_max_seconds")) {
			if (!number_in(e, 1, 86400, &v)) {
				*err = xasprintf("%s: timeout_max_seconds: expected a number from 1 to 86400", path);
				ok = false;
				break;
			}
			c->timeout_max_s = v;
		} else if (!strcmp(e->string, "cache_min_tokens")) {
			if (!number_in(e, 1, 1e7, &v)) {
				*err = xasprintf("%s: cache_min_tokens: expected an integer from 1 to 10000000", path);
				ok = false;
				break;
			}
			c->cache_min_tokens = (int)v;
		} else {
			*err = xasprintf("%s: unknown key \"%s\" (known: max_tokens_limit, timeout_max_seconds, cache_min_tokens)",
				path, e->string);
			ok = false;
			break;
		}
	}
	cJSON_Delete(doc);
	return ok;
}
