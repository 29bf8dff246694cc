/*
 * test_regions.c — the code structure the facts layer records around calls:
 * regions (functions, classes, loops, try bodies, handlers) with their
 * parents, heads and route flags, and calls by name, for Python and TS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/facts.h"
#include "adapters/surface.h"

static int failures;

static const char *kind_name(enum cl_region_kind k)
{
	static const char *const names[] = {"function", "class", "loop", "try", "handler"};
	return names[k];
}

/* One line per region: kind name parent head-text [route] [params]. */
static void dump(const struct cl_file_facts *f, const char *src, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = 0;
	for (size_t i = 0; i < f->regions.n && len < cap; i++) {
		const struct cl_region *r = &f->regions.v[i];
		len += (size_t)snprintf(out + len, cap - len, "%zu %s %s p=%d head=[%.*s]%s params=%s\n", i,
			kind_name(r->kind), r->name ? r->name : "-", r->parent,
			(int)(r->head.end - r->head.start), src + r->head.start,
			r->route ? " route" : "", r->params ? r->params : "-");
	}
	for (size_t i = 0; i < f->refs.n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "ref %s in %d\n", f->refs.v[i].name, f->refs.v[i].region);
	for (size_t i = 0; i < f->calls.n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "call %s in %d\n", f->calls.v[i].method, f->calls.v[i].region);
	if (len < cap)
		snprintf(out + len, cap - len, "web=%d\n", f->web_server);
}

static void check(const char *path, const char *src, const char *want)
{
	struct cl_source s;
	cl_source_init_mem(&s, path, src, strlen(src));
	struct cl_file_facts f;
	cl_facts_init_empty(&f, path, s.lang);
	struct cl_parser *p = cl_parser_create();
	const char *note = NULL;
	char got[4096];
	if (!cl_facts_extract(p, &s, &f, &note)) {
		printf("FAIL %s: not parsed\n", path);
		failures++;
	} else {
		dump(&f, src, got, sizeof got);
		if (strcmp(got, want) != 0) {
			printf("FAIL %s\n--- want\n%s--- got\n%s", path, want, got);
			failures++;
		}
	}
	cl_parser_destroy(p);
	cl_facts_finish(&f);
	cl_source_finish(&s);
}

int main(void)
{
	char *err = NULL;
	if (!cl_surface_load(&err) || !cl_facts_init(&err)) {
		printf("init: %s\n", err ? err : "?");
		return 1;
	}
	check("agent.py",
		"import anthropic\n"
		"from flask import Flask, request\n"
		"app = Flask(__name__)\n"
		"client = anthropic.Anthropic()\n"
		"@app.post('/chat')\n"
		"def chat():\n"
		"    for i in range(10):\n"
		"        try:\n"
		"            r = client.messages.create(model='m', max_tokens=5, messages=[])\n"
		"        except anthropic.RateLimitError as e:\n"
		"            log(e)\n"
		"        except:\n"
		"            pass\n"
		"    while True:\n"
		"        run_tools(r)\n",
		"0 function chat p=-1 head=[@app.post('/chat')\ndef chat():\n    ] route params=\n"
		"1 loop - p=0 head=[range(10)] params=-\n"
		"2 try - p=1 head=[] params=-\n"
		"3 handler - p=1 head=[anthropic.RateLimitError as e] params=-\n"
		"4 handler - p=1 head=[] params=-\n"
		"5 loop - p=0 head=[True] params=-\n"
		"ref Flask in -1\nref Anthropic in -1\nref post in -1\nref range in 1\nref create in 2\n"
		"ref log in 3\nref run_tools in 5\n"
		"call messages.create in 2\n"
		"web=1\n");
	check("src/server.ts",
		"import express from 'express';\n"
		"import Anthropic from '@anthropic-ai/sdk';\n"
		"const app = express();\n"
		"const client = new Anthropic();\n"
		"app.post('/chat', async (req, res) => {\n"
		"  for (;;) {\n"
		"    try { await client.messages.create({model: 'm', max_tokens: 5, messages: []}); }\n"
		"    catch (err) { res.status(500).end(); }\n"
		"  }\n"
		"});\n"
		"function helper({ a, b }, c = 1) { do { step(); } while (a < 3); }\n"
		"app.get('/h', helper);\n",
		"0 function - p=-1 head=[async (req, res) => ] route params=req,res\n"
		"1 loop - p=0 head=[] params=-\n"
		"2 try - p=1 head=[] params=-\n"
		"3 handler - p=1 head=[err] params=-\n"
		"4 function helper p=-1 head=[function helper({ a, b }, c = 1) ] route params=a,b,c\n"
		"5 loop - p=4 head=[(a < 3)] params=-\n"
		"ref express in -1\nref Anthropic in -1\nref post in -1\nref create in 2\nref status in 3\n"
		"ref end in 3\nref step in 5\nref get in -1\n"
		"call messages.create in 2\n"
		"web=1\n");
	check("app/api/chat/route.ts",
		"export async function POST(req: Request) { return Response.json({}); }\n"
		"export const GET = async () => new Response('ok');\n"
		"function local() {}\n",
		"0 function POST p=-1 head=[async function POST(req: Request) ] route params=req\n"
		"1 function GET p=-1 head=[async () => ] route params=\n"
		"2 function local p=-1 head=[function local() ] params=\n"
		"ref json in 0\nref Response in 1\n"
		"web=1\n");
	/* regions nested in a try body come before its handlers: source order */
	check("retry.py",
		"import anthropic\n"
		"client = anthropic.Anthropic()\n"
		"def ask():\n"
		"    try:\n"
		"        for i in range(3):\n"
		"            client.messages.create(model='m', max_tokens=5, messages=[])\n"
		"    except Exception:\n"
		"        for j in range(2):\n"
		"            log(j)\n"
		"    done()\n",
		"0 function ask p=-1 head=[def ask():\n    ] params=\n"
		"1 try - p=0 head=[] params=-\n"
		"2 loop - p=1 head=[range(3)] params=-\n"
		"3 handler - p=0 head=[Exception] params=-\n"
		"4 loop - p=3 head=[range(2)] params=-\n"
		"ref Anthropic in -1\nref range in 2\nref create in 2\nref range in 4\nref log in 4\nref done in 0\n"
		"call messages.create in 2\n"
		"web=0\n");
	/* NestJS: a comment between the route decorator and its method */
	check("src/chat.controller.ts",
		"import { Controller, Post } from '@nestjs/common';\n"
		"@Controller('chat')\n"
		"export class Chat {\n"
		"  @Post()\n"
		"  // the handler\n"
		"  send() { return 1; }\n"
		"  helper() { return 2; }\n"
		"}\n",
		"0 class Chat p=-1 head=[] params=-\n"
		"1 function send p=0 head=[send() ] route params=\n"
		"2 function helper p=0 head=[helper() ] params=\n"
		"ref Controller in -1\nref Post in 0\n"
		"web=1\n");
	cl_facts_cleanup();
	cl_surface_unload();
	return failures ? 1 : 0;
}
