/*
 * facts.h — the Claude facts layer: what one file says about Claude usage,
 * extracted from its syntax tree while the tree is alive and kept as plain
 * values afterwards. Client constructions, call sites with their resolved
 * arguments, model-id literals, module-level exports (for other files'
 * relative imports), imports. Everything is allocated from the file's arena.
 *
 * facts.c extracts (one file, no knowledge of other files); project.c links
 * files (imports across the tree) and answers the rules' questions. Neither
 * decides a finding: that is checks/.
 */
#ifndef CL_FACTS_H
#define CL_FACTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan/source.h"
#include "support/xalloc.h"

struct cl_span {
	uint32_t start, end;               /* bytes */
	uint32_t line, col, end_line, end_col; /* 1-based, bytes */
};

enum cl_vkind {
	CL_V_UNKNOWN,  /* could not be resolved: never a failure */
	CL_V_STRING,
	CL_V_NUMBER,
	CL_V_BOOL,
	CL_V_NULL,     /* None / null / undefined */
	CL_V_OBJECT,   /* dict / object literal, or a call's keyword arguments */
	CL_V_ARRAY,
	CL_V_IMPORT,   /* a name imported from another file of the tree */
	CL_V_CLIENT,   /* a Claude client (facts->clients[index]) */
	CL_V_SIGNAL,   /* an abort signal that fires on a timer (num = ms, 0 unknown) */
	CL_V_AI_MODEL, /* Vercel AI SDK provider model: anthropic('id'); str = id */
	CL_V_PATH,     /* a file system path (or an open file): str = the path; b: it is
	                  relative to the scan root (built from __file__ / __dirname),
	                  else as written (relative to the working directory) */
	CL_V_FUNCTION, /* a function of the tree: ret = its summary, what it returns
	                  (the Claude alternative when it returns several); name */
	CL_V_CLASS,    /* a class of the tree: pairs = its instance state (`self.x`,
	                  `this.x`, fields, constructor parameter properties); name.
	                  Calling it gives an instance with that state */
};

struct cl_kv;

struct cl_value {
	enum cl_vkind kind;
	struct cl_span span;   /* the expression the value came from */
	const char *str;       /* STRING (decoded), AI_MODEL id */
	size_t len;
	double num;            /* NUMBER, SIGNAL */
	bool b;                /* BOOL */
	struct cl_kv *pairs;   /* OBJECT */
	size_t npairs;
	bool open;             /* OBJECT: an unresolved spread (or **kwargs) may add keys */
	struct cl_value **items; /* ARRAY; STRING: the names imported from other files
	                            it was built from (`${SYSTEM}\n…`), their text
	                            left out of str (resolve with cl_project_resolve),
	                            and the parameters (UNKNOWN with param) */
	size_t nitems;
	bool open_imports;     /* STRING: open only because of those imported parts */
	const char *module;    /* IMPORT: module as written ("./config", ".prompts") */
	const char *name;      /* OBJECT: an instance of the class of this name (of
	                          the file), else NULL;
	                          IMPORT: the imported name ("default" for default),
	                          then what is done with it: ".x" a member, "()" a call
	                          ("build_client()", "ChatCog().client") */
	const char *from_file; /* IMPORT: the importing file's path */
	int client;            /* CLIENT: index into the owning file's clients */
	const struct cl_file_facts *owner; /* CLIENT: the file whose clients[] it indexes */
	const char *env;       /* the value is an env lookup of this variable;
	                          the value itself is its default (or UNKNOWN) */
	bool env_browser;      /* env variable exposed to the browser bundle */
	const char *file;      /* STRING: the contents of this file of the tree (path
	                          relative to the scan root), read from a literal path */
	const char *param;     /* UNKNOWN: the value of this parameter of the function
	                          param_fn (its param_pos-th argument, self not counted;
	                          -1 unknown), for following callers' arguments */
	const char *param_fn;
	int param_pos;
	bool param_derived;    /* UNKNOWN with param: derived from that parameter (a
	                          member of it, a method's result on it: `file.buffer`),
	                          not the parameter itself */
	const char *param_member; /* then: the member of the parameter itself it is
	                          (`options.abortSignal`, `const { system } = options`),
	                          else NULL */
	struct cl_value *ret;  /* FUNCTION: what it returns */
	bool alt;              /* one of several alternatives (branches, `||`, several
	                          returns): the Claude one when there is one, so that a
	                          call through it is a Claude call; the others are not
	                          kept, so no finding depends on them */
	const char *taint;     /* the value is derived from request data or user input
	                          in its function: what it came from ("req.body",
	                          "route parameter `topic`", "input()") */
	bool maybe;            /* an object's value set on some paths only (a key set
	                          under an `if`, a loop, a case or a handler): CL17
	                          may read it; effective settings do not take it as set */
};

struct cl_kv {
	const char *key;
	struct cl_value *val;
};

enum cl_client_kind {
	CL_CLIENT_SDK,        /* Anthropic / AsyncAnthropic / new Anthropic() */
	CL_CLIENT_CLOUD,      /* Bedrock, Vertex, Foundry variants */
	CL_CLIENT_DERIVED,    /* client.with_options(...) / withOptions(...) */
	CL_CLIENT_LANGCHAIN,  /* ChatAnthropic (Python or JS) */
	CL_CLIENT_LLAMAINDEX, /* llama_index.llms.anthropic.Anthropic */
	CL_CLIENT_AISDK_PROVIDER, /* createAnthropic({...}) */
	CL_CLIENT_ADAPTER,    /* a client of the adapter record named by `adapter` */
};

struct cl_client {
	enum cl_client_kind kind;
	const char *cls;         /* "Anthropic", "AsyncAnthropicBedrock", "ChatAnthropic" */
	struct cl_span span;     /* the construction expression */
	struct cl_value *opts;   /* OBJECT of its options (kwargs / first argument) */
	int parent;              /* DERIVED: the client it derives from (-1: unknown) */
	struct cl_value *parent_ref; /* DERIVED from an imported client */
	bool use_client_module;  /* constructed in a "use client" module */
	bool used;               /* a call site uses it */
	const char *adapter;     /* ADAPTER: its record in rules/adapters.json */
};

enum cl_call_kind {
	CL_CALL_SDK,       /* client.messages.create / stream / batches ... */
	CL_CALL_RAW_HTTP,  /* fetch / axios / requests / httpx ... to the Messages API */
	CL_CALL_AISDK,     /* generateText / streamText / generateObject / streamObject */
	CL_CALL_LITELLM,   /* completion / acompletion */
	CL_CALL_WRAPPER,   /* ChatAnthropic / LlamaIndex invoke / stream / chat ... */
	CL_CALL_ADAPTER,   /* a call of the adapter record named by `adapter` */
};

/* The key an abort-signal option (`signal`, `abortSignal`) is renamed to in
 * a call's options when no timer aborts it (the request's own signal, a
 * controller aborted on disconnect): it is no timeout. */
#define CL_UNTIMED_SIGNAL_KEY "__signal_without_timer__"

struct cl_call {
	enum cl_call_kind kind;
	const char *method;      /* "messages.create", "fetch", "generateText" ... */
	struct cl_span span;     /* the call expression */
	struct cl_value *client; /* CLIENT or IMPORT (resolved by project.c), or NULL */
	struct cl_value *params; /* OBJECT: request body / kwargs (never NULL) */
	struct cl_value *opts;   /* OBJECT: request options (TS 2nd arg, axios config,
	                            requests/httpx kwargs) (never NULL) */
	const char *lib;         /* raw HTTP: "fetch", "axios", "requests", "httpx" ... */
	bool in_retry_loop;      /* inside a loop that re-sends on 429/529/overload */
	bool retry_wrapped;      /* wrapped by a retry decorator / function */
	bool counts_for_max_tokens; /* a Messages create/stream with a body */
	bool no_answer;          /* returns no model answer: a token count, a batch
	                            handle (rules/adapters.json sdk_methods_without_answer) */
	int region;              /* innermost enclosing region (facts->regions), -1: top level */
	const char *adapter;     /* ADAPTER (or a call of an ADAPTER client): its record */
	/* Filled once by cl_project_init, when the files are linked: */
	bool claude;             /* a Claude call (its receiver traces to a Claude client) */
	const struct cl_file_facts *client_file; /* the file constructing its client, or NULL */
	int client_index;        /* that file's clients[] index (-1: typed parameter) */
	bool gate_pending;       /* ADAPTER: its record's call gate could not decide (a
	                            Bedrock model id from config): cl_project_init
	                            keeps it as a Claude call when the context says so
	                            (the record's `unknown` policy), else drops it */
	bool gate_context;       /* then: the calling file mentions Claude */
	bool receiver_guess;     /* SDK: the receiver (a call's result or an instance's
	                            member from another file) counts as Claude when it
	                            leads nowhere known: the file imports the SDK only,
	                            or the receiver's name says Claude */
};

/* A system prompt given outside a request's parameters: a LangChain
 * SystemMessage or system message template. */
struct cl_prompt {
	const char *how;         /* "SystemMessage", "SystemMessagePromptTemplate.from_template" */
	struct cl_span span;     /* the construction */
	struct cl_value *value;  /* the content (a STRING, an ARRAY of blocks, or UNKNOWN) */
};

/* A string literal (or config value) that is a Claude model id. */
struct cl_model_ref {
	const char *id;          /* the literal, trimmed */
	struct cl_span span;
	bool env_default;        /* the default of an env lookup */
	const char *env;         /* that variable */
	const char *key_id;      /* the value of a map entry whose key is model-shaped: that key */
};

/*
 * The code structure around calls: functions, classes, loops, try blocks and
 * their handlers, in source order (a region's parent comes before it). The
 * rules that look at what surrounds a Claude call (retries, error handling,
 * agent loops, routes, logging) walk a call's region up through parent.
 */
enum cl_region_kind {
	CL_R_FUNCTION, /* def / function / arrow / method / lambda */
	CL_R_CLASS,
	CL_R_LOOP,     /* for / while / do */
	CL_R_TRY,      /* the protected body of a try statement */
	CL_R_HANDLER,  /* except / catch clause */
};

/*
 * What a loop's condition says about how often it runs, and the comparisons
 * that leave a loop or a function early (facts_loops.c): CL18 reads these,
 * not the loop's text. One comparison of a counter with a bound.
 */
struct cl_compare {
	struct cl_span span;     /* the comparison */
	const char *op;          /* "<", "<=", ">", ">=", "==", "!=" ("===" as "=="); "range"
	                            for `for x in range(N)` (counter: x, limit: N) */
	const char *counter;     /* the side that counts, as written: a name ("turns",
	                            "self.steps"), a call ("time.monotonic()"); for a
	                            length (len(x), x.length, x.size) the collection ("messages") */
	bool length;             /* the counter is a collection's length */
	bool local;              /* the counter is a plain name bound in the function (a
	                            local, a parameter), or the length of one: only the
	                            function's own code can change it */
	bool updated;            /* the loop assigns, increments or (a collection)
	                            appends to / passes on the counter, also in the
	                            condition itself (`++steps >= MAX`) */
	const char *limit_text;  /* the other side as written ("MAX_TURNS", "10") */
	struct cl_value *limit;  /* its value: constants followed in the file; an IMPORT
	                            until cl_project_resolve follows it across files */
	const char *limit_from;  /* where the value comes from: "literal", "constant"
	                            (a name bound in the file), "import", "parameter",
	                            "instance" (self.x / this.x), "unknown" */
	uint32_t limit_line;     /* "constant" / "instance": the line it is bound on */
	bool exits;              /* a guard (an `if` of the body): its branch leaves
	                            (break / return / raise / throw) */
};

enum cl_loop_shape {
	CL_LOOP_CONDITION,  /* a condition (`while not done`, `while x < N`): see cond */
	CL_LOOP_FOREVER,    /* while True / while (true) / for (;;) / itertools.count() */
	CL_LOOP_RANGE,      /* for x in range(N): cond[0] has op "range" and N */
	CL_LOOP_COLLECTION, /* for x in xs / for (const x of xs) / for (k in o) */
};

struct cl_loop {
	enum cl_loop_shape shape;
	struct cl_compare *cond; /* the comparisons of the condition's clauses (and / or
	                            split), ordering ones only: <, <=, >, >= */
	size_t ncond;
	const char **updated;    /* what the loop (condition, body, a for's update)
	                            assigns, increments or appends to, as written */
	size_t nupdated;
};

struct cl_region {
	enum cl_region_kind kind;
	struct cl_span span;     /* the whole construct */
	struct cl_span head;     /* FUNCTION: its decorators and signature; LOOP: the condition or
	                            iterable (empty for `for (;;)`); HANDLER: the caught
	                            type and name (empty for a bare except / catch) */
	int parent;              /* the innermost enclosing region, -1 */
	const char *name;        /* FUNCTION / CLASS: its name (NULL when anonymous) */
	const char *params;      /* FUNCTION: parameter names, comma-separated */
	bool route;              /* FUNCTION: a web route handler or server action, or
	                            another entry point users drive (entry says which) */
	const char *entry;       /* FUNCTION: the kind of entry point beyond web routes
	                            (rules/entrypoints.json), or NULL */
	const char *entry_guard; /* FUNCTION: a decorator limiting each user on this
	                            entry point (a bot command's cooldown), or NULL */
	const char *entry_skip;  /* FUNCTION: a decorator exempting this route from the
	                            tree's limiter (NestJS `@SkipThrottle()`), or NULL */
	bool is_do_while;        /* LOOP: a do-while (the condition is at the end) */
	bool reaches_claude;     /* FUNCTION, filled by cl_project_init: it makes a
	                            Claude call, directly or through functions of the tree */
	struct cl_loop *loop;    /* LOOP: its condition's shape (NULL when not analysed:
	                            a file whose text is not kept, facts.h text) */
	struct cl_compare *guards; /* LOOP, named FUNCTION: the comparisons of the `if`s
	                            of its body (not of functions inside it), ==
	                            included, each saying whether its branch leaves */
	size_t nguards;
};

/* A call to a function by name (`foo()`, `self.foo()`, `obj.foo()`): the last
 * name of the callee, for following calls through functions of the tree. */
struct cl_ref {
	const char *name;
	struct cl_span span;
	int region;
	enum { CL_REF_PLAIN, CL_REF_SELF, CL_REF_MEMBER } how; /* f() / self.f() / x.f() */
	const char *cls;         /* MEMBER: the class of the file its receiver is an
	                            instance of (`w = Writer(); w.write()`, `self.writer
	                            .write()` with `self.writer = Writer()`), or NULL */
	const char *recv_module; /* MEMBER: the imported module its receiver comes from
	                            (`client = smartsheet.Smartsheet(); client.Sheets
	                            .add_rows()`), or NULL */
	const char *recv_name;   /* then: the name imported from it (`from .clients
	                            import sheets`: "sheets"; "*" for the module) */
	bool recv_param;         /* MEMBER: its receiver is read from a parameter
	                            (`ctx.reply()`): an object, never a module */
	const char *recv_key;    /* MEMBER: the member its receiver is read from
	                            (`config.aiClient.ask()`, `self.llm.ask()`:
	                            "aiClient", "llm"), or NULL */
	bool reaches_claude;     /* filled by cl_project_init: the function called
	                            (in this file or an imported one) reaches Claude */
	uint32_t tainted_args;   /* bit i: positional argument i carries request data */
	const char *tainted_kw;  /* keyword arguments that do, comma-separated, or NULL */
	uint32_t const_args;     /* bit i: positional argument i is a known string */
	const char *const_kw;    /* keyword arguments that are, comma-separated, or NULL */
	bool args_seen;          /* the arguments were looked at (files with Claude
	                            usage, web routes or input()) */
	const char *arg_taint;   /* what the first such argument came from, or NULL */
	bool several_tainted;    /* more than one argument carries request data */
	struct cl_value **arg_pos; /* when args_seen: the positional arguments' values */
	size_t narg_pos;
	struct cl_value *arg_kw;   /* and the keyword arguments, as an OBJECT */
};

/* A value a call hands over under a name: a pair of an object-literal
 * argument (`createAIBot({ aiClient: claude })`) or a keyword argument
 * (`Bot(llm=client)`) whose value is a name bound to an instance or an
 * import (callgraph.c matches it to calls on a receiver's member of that
 * name). */
struct cl_handoff {
	const char *key;
	const struct cl_value *val;
};

/* A job queue's two ends (rules/surface.json queue_*): a call that
 * enqueues (`queue.add('job', data)` on a queue named by a literal,
 * `summarise.delay(text)`) and a function that consumes a queue's jobs
 * (`new Worker('q', fn)`, the process method of an @Processor('q') class).
 * The call graph joins them by the queue's name. */
struct cl_queue_link {
	const char *queue;       /* the queue's name, NULL when not a literal */
	const char *task;        /* producer: the function run in a worker by name
	                            (`summarise.delay()`), else NULL */
	bool consumer;
	size_t ref;              /* producer: the call (index into refs) */
	int region;              /* consumer: its function region, or -1 ... */
	const char *fn_name;     /* ... then the file's function of this name */
};

struct cl_export {
	const char *name;        /* module-level name; "default" for export default */
	struct cl_value *val;
};

/* A runnable a call serves to users as a route (rules/entrypoints.json
 * runnable_calls: LangServe `add_routes(app, chain, path="/x")`): its value,
 * resolved across files by CL11, says whether the route reaches Claude. */
struct cl_runnable_route {
	const char *kind;        /* the record's kind */
	struct cl_span span;     /* the call */
	const char *name;        /* the runnable's text (short) */
	const struct cl_value *value;
	bool reaches_claude;     /* filled by cl_project_init: the value is a Claude
	                            client (also through imports), or a name bound in a
	                            file (this one, or the one it is imported from) that
	                            builds one (a chain piped from a ChatAnthropic) */
};

/* A handler a file registers by name and another file defines. */
struct cl_named_handler {
	const char *name;
	const char *entry;       /* the kind of entry point (cl_region.entry), NULL for a web route */
	const char *guard;       /* the limiter the registration puts before it, or NULL */
};

struct cl_file_facts {
	const char *path;
	enum cl_lang lang;
	struct cl_arena arena;
	CL_VEC(struct cl_client) clients;
	CL_VEC(struct cl_call) calls;
	CL_VEC(struct cl_model_ref) models;
	CL_VEC(struct cl_prompt) prompts;
	CL_VEC(struct cl_export) exports;
	CL_VEC(const char *) imported_modules; /* every module name imported (also require("m")) */
	CL_VEC(uint32_t) imported_lines;       /* the line of each, parallel to imported_modules */
	CL_VEC(const char *) star_exports;     /* modules re-exported whole: `export * from "m"`,
	                                          `from m import *` (names not found among
	                                          the exports are looked up there) */
	CL_VEC(struct cl_region) regions;
	CL_VEC(struct cl_ref) refs;
	CL_VEC(struct cl_handoff) handoffs;
	CL_VEC(struct cl_queue_link) queues;
	CL_VEC(struct cl_named_handler) route_handlers; /* handlers registered as routes or
	                                        entry points by name (`router.post("/x",
	                                        generate)`, `MessageHandler(filters.TEXT,
	                                        handle_message)`) that the file does not
	                                        define: cl_project_init marks the function
	                                        of that name in the imported file */
	/* The file's text, one copy (NULL when not kept): kept for files with
	 * Claude calls, a Claude import, web routes, loops / try blocks and
	 * imports (they may reach Claude through them), and for files that
	 * import modules and call or define functions by name (values flow in
	 * from other files through the call graph: CL07 and CL17 follow them
	 * into these files). */
	const char *code;
	size_t code_len;
	/* The same buffer (never a copy), only for the first kind of file: the
	 * checks that read around a Claude call (retries, error handling, agent
	 * loops, logging) look at these files only; else NULL. */
	const char *text;
	size_t text_len;
	bool web_server;         /* imports a web framework or is a route file */
	CL_VEC(struct cl_runnable_route) runnable_routes; /* runnables served as routes
	                                      (LangServe `add_routes(app, chain)`) */
	const char *script_entry; /* the file as a whole is an entry point users drive
	                            (a Streamlit script, re-run on every interaction):
	                            its kind (rules/entrypoints.json), else NULL */
	struct cl_span script_span; /* then: its first input widget call */
	bool use_client;         /* a "use client" directive */
	bool parse_error;        /* the tree had errors (facts may be partial) */
	bool claude_import;      /* imports an Anthropic SDK or wrapper */
	bool retry_library;      /* imports a retry library */
	bool gate_text;          /* its text (any file, config too) holds what a call
	                            gate's unknown policy looks for in the package: a
	                            Bedrock Anthropic model id (set by the scan) */
};

/* Languages: one parser per thread, created on demand. */
struct cl_parser;
struct cl_parser *cl_parser_create(void);
void cl_parser_destroy(struct cl_parser *p);

/* Compiles the embedded queries (once, before threads start) and reads
 * CLAUDIT_PARSE_BUDGET_MS, the per-file parse budget (default 10 s). */
bool cl_facts_init(char **err);
void cl_facts_cleanup(void);

/*
 * Extracts FACTS (initialised by cl_facts_init_empty) from SRC (a Python / JS / TS file). NOTE is set (static
 * text) when the file was only partly analysed (parse timeout, too deep,
 * the per-file work budget spent).
 * Returns false when the file could not be parsed at all.
 */
bool cl_facts_extract(struct cl_parser *p, const struct cl_source *src,
	struct cl_file_facts *facts, const char **note);
void cl_facts_init_empty(struct cl_file_facts *facts, const char *path, enum cl_lang lang);
/* Analysis steps spent by every cl_facts_extract so far (all threads): the
 * deterministic work count CLAUDIT_STATS prints and the growth test reads. */
uint64_t cl_facts_work_total(void);
void cl_facts_finish(struct cl_file_facts *facts);

/* The innermost region of F containing byte POS, -1 at top level. */
int cl_facts_region_at(const struct cl_file_facts *f, uint32_t pos);
/* REGION or its innermost ancestor of KIND, -1 when none. */
int cl_facts_enclosing(const struct cl_file_facts *f, int region, enum cl_region_kind kind);

/* Looks KEY (or its other spelling: "max_tokens" / "maxTokens") up in OBJ. */
struct cl_value *cl_value_get(const struct cl_value *obj, const char *key);
/* Looks a dotted path up ("providerOptions.anthropic.maxTokens"). */
struct cl_value *cl_value_path(const struct cl_value *obj, const char *path);

#endif
