/*
 * adapters.h — the Claude adapters of rules/adapters.json: one record per
 * SDK, wrapper, framework or platform, saying which classified clients and
 * calls are its own, what gates it (an Anthropic endpoint, an Anthropic
 * model id), and where each setting (model, max_tokens, timeout, retries,
 * system, tools, stream, turn cap, sampling, thinking, messages) lives, with its default and source.
 * Read-only after cl_adapters_load; safe from any thread. Knows nothing of
 * checks: settings.c turns a record and a call's facts into effective
 * settings.
 */
#ifndef CL_ADAPTERS_H
#define CL_ADAPTERS_H
#include <stdbool.h>
#include <stddef.h>

#include "model/facts.h"

enum cl_setting_id {
	CL_SET_MODEL,
	CL_SET_MAX_TOKENS,
	CL_SET_TIMEOUT,
	CL_SET_RETRIES,
	CL_SET_SYSTEM,
	CL_SET_TOOLS,
	CL_SET_STREAM,
	CL_SET_TURN_CAP,
	CL_SET_CACHE,     /* a request-level cache breakpoint */
	CL_SET_BROWSER,   /* the client may run in a browser (and ship the key) */
	CL_SET_USER_ID,   /* the end user's opaque id sent with the request (metadata) */
	CL_SET_TEMPERATURE, /* sampling: temperature */
	CL_SET_TOP_P,     /* sampling: nucleus top_p */
	CL_SET_TOP_K,     /* sampling: top_k */
	CL_SET_THINKING,  /* the thinking configuration ({type, budget_tokens}) */
	CL_SET_MESSAGES,  /* the conversation sent (for a final assistant turn) */
	CL_SET_COUNT
};

/* What an unset setting means. */
enum cl_default_kind {
	CL_DEF_ABSENT,    /* the adapter has no such setting */
	CL_DEF_VALUE,     /* the number in `value` */
	CL_DEF_NONE,      /* no limit at all (no timeout) */
	CL_DEF_REQUIRED,  /* the request fails without it */
	CL_DEF_MODEL_MAX, /* the model's maximum output (else `fallback`) */
	CL_DEF_TABLE,     /* a per-model table (else `fallback`) */
	CL_DEF_UNBOUNDED, /* no cap */
	CL_DEF_UNKNOWN,   /* not known */
};

/* Where an option is written. */
enum cl_key_scope {
	CL_KEY_PARAMS,   /* the request body / Python kwargs */
	CL_KEY_OPTIONS,  /* per-call request options (TS second argument) */
	CL_KEY_CLIENT,   /* the construction's options, and the with_options chain */
};

#define CL_ADAPTER_MAX_KEYS 8

struct cl_adapter_key {
	enum cl_key_scope scope;
	const char *path;        /* dotted ("providerOptions.anthropic.maxTokens") */
};

struct cl_adapter_setting {
	struct cl_adapter_key keys[CL_ADAPTER_MAX_KEYS];
	size_t nkeys;
	bool ms;                 /* the unit is milliseconds (else seconds) */
	enum cl_default_kind def;
	double value;            /* CL_DEF_VALUE */
	int fallback;            /* MODEL_MAX / TABLE: when the model is unknown */
	double off_at;           /* the value that turns it off (retries: 0) */
	const char *unset;       /* "missing", "no_retry" or NULL: what unset means */
	bool default_is_cap;     /* a default the checks take as bounded */
	const char *note;        /* says what the default does, for messages */
	const char *fix;         /* what to write instead, for messages */
	bool opaque;             /* tools: the value is not what goes on the wire
	                            (schemas the adapter converts): not sized */
	bool from_prompts;       /* system: given as prompt objects (a system
	                            message) built beside the client */
	const char *bounded_by[CL_ADAPTER_MAX_KEYS]; /* turn cap given as an expression (a
	                            stop condition): the functions whose call in it
	                            bounds the steps (stepCountIs(10)) */
	size_t nbounded_by;
	const char *message;     /* the finding's message when unset is a finding: a
	                            template of {call}, {lib}, {note}, {fix} */
	const char *source;      /* where the default was read, with the day */
	const char *methods[CL_ADAPTER_MAX_KEYS]; /* only on these call methods (none: all) */
	size_t nmethods;
	const char *transports[CL_ADAPTER_MAX_KEYS]; /* retries: modules that retry every request */
	size_t ntransports;
};

struct cl_adapter {
	const char *id;
	const char *name;
	bool python;
	const char *call_prefix; /* names its calls in messages ("litellm.") */
	bool handle_only;        /* its construction is no Claude client by itself (a
	                            Bedrock runtime client serves every vendor): only its
	                            gated calls count, and they carry its options */
	const char *tracing_pattern;  /* a CL12 data pattern that, found in code or
	                                 config, traces every call of this adapter */
	const char *tracing_evidence; /* the evidence line it shows */
	struct cl_adapter_setting set[CL_SET_COUNT];
	/* batch calls (Message Batches): methods whose `requests` list holds
	 * requests, each one's `params` a request of its own */
	const char *batch_methods[CL_ADAPTER_MAX_KEYS];
	size_t nbatch_methods;
	const char *batch_requests;  /* the key of the list ("requests") */
	const char *batch_params;    /* the key of a request's params ("params") */
	const void *record;      /* the JSON record (gates, methods) */
};

/* Loads rules/adapters.json (once, before threads start); false with *ERR
 * (caller frees) on bad data: an unknown setting, scope or default kind. */
bool cl_adapters_load(char **err);
void cl_adapters_unload(void);

/* The records, in file order (an index is stable for the run). */
size_t cl_adapters_count(void);
const struct cl_adapter *cl_adapters_at(size_t i);

/* The record named ID, or NULL. */
const struct cl_adapter *cl_adapters_find(const char *id);
/* The record of a client or call: its own adapter id when classification
 * gave one, else the record whose `match` lists its kind in its language. */
const struct cl_adapter *cl_adapters_of_client(const struct cl_client *c, bool python);
const struct cl_adapter *cl_adapters_of_call(const struct cl_call *call, bool python);

const char *cl_setting_name(enum cl_setting_id id);

/* True when setting S of a call of METHOD exists (its `methods`, if any, list it). */
bool cl_adapter_setting_on(const struct cl_adapter_setting *s, const char *method);

/* The default max_tokens of S for MODEL (NULL: unknown), or 0 when there
 * is no number. */
int cl_adapter_default_max_tokens(const struct cl_adapter_setting *s, const char *model);

/* Classification hooks for the facts layer (facts_*.c). */

/* The record (in that language) whose `factory_methods` list METHOD: a
 * client made by a method of any receiver (`session.client(...)`), kept
 * only when the record's gate holds. NULL when none. */
const struct cl_adapter *cl_adapters_factory(const char *method, bool python);

/* KIND is a constructor kind "adapter:<id>": the record's id, else NULL. */
const char *cl_adapters_kind_id(const char *kind);
/* Does the record's `gate` hold for a construction with keyword/options
 * object OPTS and positional arguments POS, in a file that uses Claude when
 * FILE_CLAUDE? (No gate: true.) */
bool cl_adapters_gate(const struct cl_adapter *a, const struct cl_value *opts,
	struct cl_value *const *pos, size_t npos, bool file_claude);
/* Does METHOD of the record's client return the same client (`compile`)? */
bool cl_adapters_passthrough(const struct cl_adapter *a, const char *method);
/* The name the record's TABLE ("call_args", "constructor_args") gives
 * positional argument I (`invoke(input, config)`, `Agent(model)`), or NULL. */
const char *cl_adapters_arg_name(const struct cl_adapter *a, const char *table, size_t i);
/* Is METHOD (dotted suffix of the callee) a call method of the record? Its
 * `call_gate` is checked on the call's parameters (below). */
bool cl_adapters_call_method(const struct cl_adapter *a, const char *method);

/* A call gate's verdict on a model value: it holds, it fails (a known id of
 * another vendor's model), or the id cannot be resolved and the record's
 * `unknown` policy decides from the context (cl_adapters_context_*). */
enum cl_gate { CL_GATE_NO, CL_GATE_YES, CL_GATE_UNKNOWN };
/* The verdict of A's call gate on PARAMS (its gated argument), or on the
 * gated argument's value V itself with cl_adapters_call_gate_value (V may
 * be NULL: absent). CL_GATE_UNKNOWN only for records with an `unknown` policy. */
enum cl_gate cl_adapters_call_gate_of(const struct cl_adapter *a, const struct cl_value *params);
enum cl_gate cl_adapters_call_gate_value(const struct cl_adapter *a, const struct cl_value *v, bool open);
/* The gated argument's name (`modelId`), or NULL. */
const char *cl_adapters_call_gate_arg(const struct cl_adapter *a);
/* Does the text of a file mention what A's unknown policy looks for in the
 * calling file (`file_mentions`, any case: "anthropic", "claude")? */
bool cl_adapters_context_file(const struct cl_adapter *a, const char *text, size_t len);
/* Does the text of any file hold what some record's unknown policy looks for
 * in the package (`package_text`: a Bedrock Anthropic model id)? */
bool cl_adapters_context_package(const char *text, size_t len);

#endif
