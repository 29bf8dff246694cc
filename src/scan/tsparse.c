/*
 * tsparse.c — tree-sitter parsing within a time budget (tsparse.h).
 */
#include "scan/tsparse.h"

#ifdef CL_TS_PARSE_OPTIONS
#include <stdbool.h>
#include <time.h>

struct budget {
	const char *data;
	uint32_t len;
	struct timespec end;  /* this thread's CPU clock */
};

static const char *read_buffer(void *payload, uint32_t byte, TSPoint point, uint32_t *n)
{
	(void)point;
	const struct budget *b = payload;
	if (byte >= b->len) {
		*n = 0;
		return "";
	}
	*n = b->len - byte;
	return b->data + byte;
}

/* tree-sitter asks now and then; true stops the parse. */
static bool over_budget(TSParseState *state)
{
	const struct budget *b = state->payload;
	struct timespec now;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
	return now.tv_sec > b->end.tv_sec || (now.tv_sec == b->end.tv_sec && now.tv_nsec >= b->end.tv_nsec);
}

TSTree *cl_tsparse_within(TSParser *parser, const char *data, uint32_t len, uint64_t budget_us)
{
	struct budget b = {.data = data, .len = len};
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b.end);
	b.end.tv_sec += (time_t)(budget_us / 1000000);
	b.end.tv_nsec += (long)(budget_us % 1000000) * 1000;
	if (b.end.tv_nsec >= 1000000000) {
		b.end.tv_sec++;
		b.end.tv_nsec -= 1000000000;
	}
	TSInput input = {.payload = &b, .read = read_buffer, .encoding = TSInputEncodingUTF8};
	TSParseOptions options = {.payload = &b, .progress_callback = over_budget};
	TSTree *tree = ts_parser_parse_with_options(parser, NULL, input, options);
	if (!tree)
		ts_parser_reset(parser);
	return tree;
}

#else

TSTree *cl_tsparse_within(TSParser *parser, const char *data, uint32_t len, uint64_t budget_us)
{
	ts_parser_set_timeout_micros(parser, budget_us);
	TSTree *tree = ts_parser_parse_string(parser, NULL, data, len);
	if (!tree)
		ts_parser_reset(parser);
	return tree;
}

#endif
