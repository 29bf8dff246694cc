/*
 * notebook.h — the code view of a Jupyter notebook (.ipynb, nbformat 4):
 * its Python code cells, decoded from their JSON strings and laid one after
 * the other, each starting on a new line, with a map from every byte of the
 * view back to the byte of the file it was decoded from and from every line
 * of the view to its cell and line in the cell. The rules run on the view;
 * findings are moved back through the map, so reports keep real positions
 * in the .ipynb file (editors, baselines and SARIF work) and name the cell.
 *
 * What is code: cells of type "code" in a notebook whose kernel language
 * (metadata.kernelspec.language or metadata.language_info.name) is Python
 * or not given, except cells whose metadata names another language
 * (vscode.languageId) and cells that start with a cell magic of another
 * language (`%%bash`, `%%html`, `%%sql`, `%%writefile`, ...). IPython
 * syntax is blanked (bytes become spaces, lines kept): line magics (`%pip`),
 * shell escapes (`!ls`), their assignments (`files = !ls`) and the first
 * line of Python cell magics (`%%time`). Reads only the JSON text; owns no
 * state; knows nothing of Claude.
 */
#ifndef CL_NOTEBOOK_H
#define CL_NOTEBOOK_H
#include <stddef.h>
#include <stdint.h>

struct cl_notebook {
	char *code;          /* the view, NUL-terminated */
	size_t len;
	uint32_t *offset;    /* len + 1 entries: file offset of each view byte;
	                        offset[len] is the end of the last code string */
	uint32_t *cell;      /* per view line: the 1-based cell number (every
	                        cell counts, markdown too, as notebook UIs number them) */
	uint32_t *cell_line; /* per view line: the 1-based line in that cell */
	uint32_t *line_start; /* per view line: its first byte in the view */
	size_t nlines;
};

enum cl_notebook_status {
	CL_NOTEBOOK_CODE,      /* NB holds the view (at least one code byte) */
	CL_NOTEBOOK_NO_CODE,   /* well formed, but no Python code cell */
	CL_NOTEBOOK_MALFORMED, /* not JSON, or not an nbformat 4 notebook: *NOTE says why */
};

/* Builds the code view of the notebook text DATA[0..LEN). On
 * CL_NOTEBOOK_CODE, release NB with cl_notebook_finish; otherwise NB is
 * empty, and on CL_NOTEBOOK_MALFORMED *NOTE is a static message. */
enum cl_notebook_status cl_notebook_view(const char *data, size_t len, struct cl_notebook *nb,
	const char **note);
void cl_notebook_finish(struct cl_notebook *nb); /* accepts NULL */

/* The file offset of the view position LINE:COL (1-based, as a facts span
 * gives it); CELL and CELL_LINE receive the line's cell and line in the cell. */
uint32_t cl_notebook_locate(const struct cl_notebook *nb, unsigned line, unsigned col,
	unsigned *cell, unsigned *cell_line);

#endif
