/*
 * facts_dump.h — `--dump-facts`: a scan's linked facts as JSON (clients,
 * calls with their client and a place for effective settings, regions, call
 * edges, the bindings that carry a client or model across files).
 */
#ifndef CL_FACTS_DUMP_H
#define CL_FACTS_DUMP_H
#include <stdbool.h>
#include <stdio.h>

#include "model/project.h"

/* Writes P's facts to OUT; false on a write error. */
bool cl_facts_dump(FILE *out, const struct cl_project *p);

#endif
