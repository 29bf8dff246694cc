/*
 * settings.h — effective settings: for one Claude call (or client), what
 * its model, max_tokens, timeout, retries, system prompt, tools, streaming
 * and turn cap come to, and where each comes from — written explicitly (the
 * option, with its span), the adapter's default (with its source), or
 * unknown. Built from the linked facts (project.h) and the call's adapter
 * record (adapters.h). The checks read these and never name a framework.
 * Everything returned points into the facts or the adapter data: nothing
 * to free.
 */
#ifndef CL_SETTINGS_H
#define CL_SETTINGS_H
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "adapters/adapters.h"
#include "model/facts.h"
#include "model/project.h"

enum cl_provenance {
	CL_PROV_ABSENT,    /* the adapter has no such setting (or no adapter) */
	CL_PROV_EXPLICIT,  /* written in the code: `written` / `value` */
	CL_PROV_DEFAULT,   /* unset: the adapter's default applies (spec->def) */
	CL_PROV_UNKNOWN,   /* options spread from an unknown value, or a client
	                      that cannot be traced, may set it */
};

struct cl_setting {
	enum cl_provenance prov;
	const struct cl_value *written;   /* EXPLICIT: the value as written (its span
	                                     is where the option is) */
	const struct cl_value *value;     /* EXPLICIT: resolved through imports */
	const char *key;                  /* EXPLICIT: the option's path as looked up */
	enum cl_key_scope scope;          /* EXPLICIT: request, options or client */
	const struct cl_client *client;   /* EXPLICIT in client scope: whose option */
	const struct cl_adapter_setting *spec; /* the record's entry (NULL when ABSENT) */
	const struct cl_value *maybe;     /* UNKNOWN: set on some paths only to this value
	                                     (as written; key and scope say where): CL17
	                                     reads it, no other check takes it as set */
	const struct cl_file_facts *unsignalled; /* DEFAULT timeout: the call's abort signal
	                                     is a parameter this caller gives no timer's
	                                     signal (at unsignalled_line) */
	unsigned unsignalled_line;
	bool from_callers;                /* UNKNOWN timeout: a parameter of the calling
	                                     function whose callers cannot all be seen
	                                     passing a number or a timer's signal */
};

/* What a call's abort signal (SIGNAL) or timeout V, a parameter of its
 * function, is by what the callers pass (settings_signal.c). */
enum cl_signal_origin {
	CL_SIGNAL_NOT_PARAMETER, /* not a parameter of the calling function */
	CL_SIGNAL_TIMER,         /* every caller passes a timer's signal (a number) */
	CL_SIGNAL_NONE,          /* SIGNAL: a caller passes none, the request's own,
	                            or a controller no timer aborts (*BY, *LINE) */
	CL_SIGNAL_UNKNOWN,       /* some caller's cannot be told */
};
enum cl_signal_origin cl_signal_from_callers(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, const struct cl_value *v, bool signal, const struct cl_file_facts **by,
	unsigned *line);

struct cl_settings {
	const struct cl_adapter *adapter; /* NULL: no record for this call */
	const char *model;                /* the model id when known, else NULL */
	struct cl_setting s[CL_SET_COUNT];
};

/* The effective settings of CALL (a call of F). */
void cl_settings_of_call(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, struct cl_settings *out);
/* A batch call (a method of its adapter's `batch`: Message Batches) whose
 * requests are a list the facts hold: how many; 0 for any other call. */
size_t cl_settings_batch_size(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call);
/* The effective settings of request K of batch CALL: its params are the
 * request; options and client are the call's. *AT: the request's span. */
void cl_settings_of_batch_request(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, size_t k, struct cl_settings *out, const struct cl_span **at);
/* The settings written on client INDEX of F itself (client scope only);
 * with CHAIN, a with_options() client also inherits its parents'. */
void cl_settings_of_client(const struct cl_project *p, const struct cl_file_facts *f,
	size_t index, bool chain, struct cl_settings *out);

/* The number of an EXPLICIT setting (a NUMBER, or a timer SIGNAL's ms). */
bool cl_setting_number(const struct cl_setting *s, double *out);

/* An EXPLICIT setting given as an expression is bounded by its spec's
 * bounded_by: the value is a call of one of those functions (imported, or
 * through a name holding the call), or a list holding one. */
bool cl_setting_bounded(const struct cl_setting *s);

/* The settings as JSON for the facts dump: {"adapter": id, "settings":
 * {name: {"provenance", "key", "line", "column", "value", "default",
 * "source"}}}. Caller frees with cJSON_Delete. */
cJSON *cl_settings_to_json(const struct cl_settings *s);

#endif
