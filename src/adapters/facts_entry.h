/*
 * facts_entry.h — entry points users drive beyond web routes, recognised
 * from rules/entrypoints.json (see facts_entry.c). Used by facts_regions.c.
 */
#ifndef CL_FACTS_ENTRY_H
#define CL_FACTS_ENTRY_H
#include "model/facts_internal.h"

/* The kind of entry point FN (named NAME, with PARAMS) is, or NULL; GUARD is
 * set to the text of a decorator that limits each user on it, or NULL. */
const char *facts_entry_function(struct ctx *c, TSNode fn, const char *name, const char *params,
	const char **guard);

/* The kind of entry point whose handlers CALL registers, or NULL. */
const char *facts_entry_call(struct ctx *c, TSNode call);

/* The kind of script entry point CALL shows its file to be (an input widget
 * of a Streamlit script: rules/entrypoints.json script_calls), or NULL. */
const char *facts_entry_script(struct ctx *c, TSNode call);

/* When CALL serves a runnable as a route (rules/entrypoints.json
 * runnable_calls, the runnable at runnable_arg), records it in the file's
 * runnable_routes. */
void facts_entry_runnable(struct ctx *c, TSNode call);

/* The names of the handlers CALL registers by name (`CommandHandler("ask",
 * ask)`, `gr.ChatInterface(fn=respond)`), into OUT (at most CAP). */
size_t facts_entry_handler_names(struct ctx *c, TSNode call, const char **out, size_t cap);

/* A web route's own limiter: for the route function FN, a Python decorator
 * `@limiter.limit(...)` or a JS middleware argument before FN in the call
 * registering it (`app.post("/x", limiter, fn)`), as text; NULL when none.
 * facts_route_limiter_arg looks at CALL's arguments before BEFORE (null: all). */
const char *facts_route_limiter(struct ctx *c, TSNode fn);
/* A decorator exempting route FN from the tree's limiter (route_limiters
 * skip_decorators: NestJS `@SkipThrottle()` on the method or its
 * controller, `@limiter.exempt`), as text; NULL when none, or when GUARD
 * (the route's own limit) names a throttler the decorator does not skip. */
const char *facts_route_skip(struct ctx *c, TSNode fn, const char *guard);
/* Does NAME look like a limiter (route_limiters.middleware_contains, any case)? */
bool facts_route_limiter_name(const char *name);
const char *facts_route_limiter_arg(struct ctx *c, TSNode call, TSNode before);

#endif
