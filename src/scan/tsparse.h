/*
 * tsparse.h — parses a buffer with tree-sitter within a time budget, on every
 * tree-sitter version claudit builds with: Debian's 0.20 has only
 * ts_parser_set_timeout_micros; 0.25 deprecates it and 0.26 removes it in
 * favour of ts_parser_parse_with_options and a progress callback
 * (tree-sitter's lib/include/tree_sitter/api.h, 0.25.0, read 2026-12-07).
 * meson defines CL_TS_PARSE_OPTIONS when the library has the latter.
 * Owns nothing else: the caller sets the language and frees the tree.
 */
#ifndef CL_TSPARSE_H
#define CL_TSPARSE_H
#include <stdint.h>

#include <tree_sitter/api.h>

/* The tree of DATA[0..LEN), or NULL when parsing took more than BUDGET_US
 * microseconds of this thread's CPU time (the parser is then reset). Caller
 * frees the tree with ts_tree_delete. */
TSTree *cl_tsparse_within(TSParser *parser, const char *data, uint32_t len, uint64_t budget_us);

#endif
