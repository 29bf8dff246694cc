/*
 * script_blocks.h — the code view of a page or component file (.html, .vue,
 * .svelte, .astro): a buffer as long as the file in which every byte
 * outside its script blocks is a space (newlines kept), so a syntax tree of
 * the view has the file's own lines and columns and nothing needs mapping.
 * Owns no state; knows nothing of Claude. The text rules (keys) still read
 * the whole file.
 *
 * What is code: `<script>` elements whose `type` is absent, a JavaScript
 * MIME type, `module`, `text/babel` or `text/typescript` (not JSON, import
 * maps, templates, ...) and that have no `src=`; `lang="ts"` /
 * `"typescript"` makes a block TypeScript, `lang="tsx"` TSX; an Astro
 * file's `---` frontmatter and its `<script>` elements are TypeScript (Astro
 * compiles them as such). `<script>` inside an HTML comment is not code; a
 * block without `</script>` runs to the end of the file.
 */
#ifndef CL_SCRIPT_BLOCKS_H
#define CL_SCRIPT_BLOCKS_H
#include <stdbool.h>

#include "scan/source.h"

/* True when PATH names a page or component file (.html, .htm, .vue, .svelte,
 * .astro) whose script blocks are code. */
bool cl_script_blocks_file(const char *path);

/*
 * Turns SRC (the whole file, as cl_source_load read it) into its code view
 * in place: bytes outside script blocks become spaces ('\n' and '\r' kept),
 * the first byte of each closing tag a ';' (so two blocks never run into
 * one statement), and SRC->lang the blocks' language (TypeScript when any
 * block is; TSX for lang="tsx"). Returns false, leaving SRC unchanged, when
 * the file has no script block.
 */
bool cl_script_blocks_view(struct cl_source *src);

#endif
