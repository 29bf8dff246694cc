/*
 * test_settings.c — effective settings of Claude calls: which adapter record
 * a call belongs to, and for each setting whether it is written (with its
 * value and line), the adapter's default, or unknown; gates that keep other
 * vendors out; and the JSON the facts dump prints.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapters.h"
#include "adapters/catalog.h"
#include "model/facts.h"
#include "model/project.h"
#include "adapters/settings.h"
#include "adapters/surface.h"

static int failures;

/* "adapter: name=prov[:value@line] ..." for one call's settings. */
static void describe(const struct cl_settings *st, char *out, size_t cap)
{
	size_t len = (size_t)snprintf(out, cap, "%s:", st->adapter ? st->adapter->id : "none");
	static const char *const prov[] = {"absent", "explicit", "default", "unknown"};
	for (int i = 0; i < CL_SET_COUNT && len < cap; i++) {
		const struct cl_setting *s = &st->s[i];
		if (s->prov == CL_PROV_ABSENT)
			continue;
		len += (size_t)snprintf(out + len, cap - len, " %s=%s", cl_setting_name((enum cl_setting_id)i), prov[s->prov]);
		double n;
		if (s->prov == CL_PROV_EXPLICIT && cl_setting_number(s, &n))
			len += (size_t)snprintf(out + len, cap - len, ":%g@%u", n, s->written->span.line);
		else if (s->prov == CL_PROV_EXPLICIT && s->value->kind == CL_V_STRING)
			len += (size_t)snprintf(out + len, cap - len, ":%s@%u", s->value->str, s->written->span.line);
		else if (s->prov == CL_PROV_DEFAULT && i == CL_SET_MAX_TOKENS)
			len += (size_t)snprintf(out + len, cap - len, ":%d", cl_adapter_default_max_tokens(s->spec, st->model));
		else if (s->prov == CL_PROV_DEFAULT && s->spec->def == CL_DEF_VALUE)
			len += (size_t)snprintf(out + len, cap - len, ":%g", s->spec->value);
		else if (s->prov == CL_PROV_DEFAULT && s->spec->def == CL_DEF_UNBOUNDED)
			len += (size_t)snprintf(out + len, cap - len, ":unbounded");
	}
}

/* Extracts PATH / SRC, links it alone, and compares each call's settings
 * (one line per call, in source order) with WANT. */
static void check(const char *path, const char *src, const char *want)
{
	struct cl_source s;
	cl_source_init_mem(&s, path, src, strlen(src));
	struct cl_file_facts f;
	cl_facts_init_empty(&f, path, s.lang);
	struct cl_parser *p = cl_parser_create();
	const char *note = NULL;
	char got[4096];
	size_t len = 0;
	got[0] = 0;
	if (!cl_facts_extract(p, &s, &f, &note)) {
		printf("FAIL %s: not parsed\n", path);
		failures++;
		cl_parser_destroy(p);
		cl_facts_finish(&f);
		cl_source_finish(&s);
		return;
	}
	struct cl_file_facts *files[] = {&f};
	struct cl_project proj = {0};
	cl_project_init(&proj, files, 1);
	for (size_t i = 0; i < f.calls.n && len < sizeof got; i++) {
		if (!f.calls.v[i].claude)
			continue; /* another vendor's call the extraction kept for the linking to decide */
		struct cl_settings st;
		cl_settings_of_call(&proj, &f, &f.calls.v[i], &st);
		char line[1024];
		describe(&st, line, sizeof line);
		len += (size_t)snprintf(got + len, sizeof got - len, "%s %s\n", f.calls.v[i].method, line);
		/* the dump's JSON names the adapter and every present setting */
		cJSON *j = cl_settings_to_json(&st);
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "adapter");
		if (!st.adapter ? !cJSON_IsNull(a) : !(cJSON_IsString(a) && !strcmp(a->valuestring, st.adapter->id))) {
			printf("FAIL %s: JSON adapter of %s\n", path, f.calls.v[i].method);
			failures++;
		}
		cJSON_Delete(j);
	}
	if (strcmp(got, want) != 0) {
		printf("FAIL %s\n--- want\n%s--- got\n%s", path, want, got);
		failures++;
	}
	cl_project_finish(&proj);
	cl_facts_finish(&f);
	cl_parser_destroy(p);
	cl_source_finish(&s);
}

int main(void)
{
	char *err = NULL;
	if (!cl_surface_load(&err) || !cl_facts_init(&err) || !cl_catalog_load("2026-12-07", &err)) {
		printf("init: %s\n", err ? err : "?");
		return 1;
	}

	/* The Python SDK: client options and the request's own. */
	check("sdk.py",
		"import anthropic\n"
		"client = anthropic.Anthropic(timeout=30, max_retries=0)\n"
		"def ask(q):\n"
		"    return client.messages.create(model=\"claude-sonnet-4-6\", max_tokens=512,\n"
		"        system=\"Be brief.\", metadata={\"user_id\": \"u-1\"}, messages=[{\"role\": \"user\", \"content\": q}])\n",
		"messages.create anthropic-python: model=explicit:claude-sonnet-4-6@4 max_tokens=explicit:512@4 "
		"timeout=explicit:30@2 retries=explicit:0@2 system=explicit:Be brief.@5 tools=default stream=default "
		"cache=default user_id=explicit:u-1@5 temperature=default top_p=default top_k=default thinking=default messages=explicit\n");

	/* Unset values take the adapter's defaults; spread options make them unknown. */
	check("sdk2.py",
		"import anthropic\n"
		"client = anthropic.Anthropic()\n"
		"def ask(q, **extra):\n"
		"    client.messages.create(model=\"claude-sonnet-4-6\", messages=[])\n"
		"    client.messages.create(model=\"claude-sonnet-4-6\", **extra)\n",
		"messages.create anthropic-python: model=explicit:claude-sonnet-4-6@4 max_tokens=default:0 "
		"timeout=default:600 retries=default:2 system=default tools=default stream=default cache=default"
		" user_id=default temperature=default top_p=default top_k=default thinking=default messages=explicit\n"
		"messages.create anthropic-python: model=explicit:claude-sonnet-4-6@5 max_tokens=unknown "
		"timeout=unknown retries=unknown system=unknown tools=unknown stream=unknown cache=unknown"
		" user_id=unknown temperature=unknown top_p=unknown top_k=unknown thinking=unknown messages=unknown\n");

	/* LiteLLM: max_tokens defaults to the model's own maximum from the
	 * catalog, 4096 for a model it does not know (issue 10). */
	{
		const char *platform;
		const struct cl_model *m = cl_catalog_find("claude-sonnet-4-6", &platform);
		char want[1024];
		snprintf(want, sizeof want,
			"completion litellm: model=explicit:anthropic/claude-sonnet-4-6@2 max_tokens=default:%d "
			"timeout=default:600 retries=default:0 system=default tools=default stream=default cache=default"
			" temperature=default top_p=default top_k=default thinking=default messages=explicit\n"
			"completion litellm: model=explicit:anthropic/claude-not-in-the-catalog@3 max_tokens=default:4096 "
			"timeout=default:600 retries=default:0 system=default tools=default stream=default cache=default"
			" temperature=default top_p=default top_k=default thinking=default messages=explicit\n",
			m ? m->max_output_tokens : -1);
		check("lite.py",
			"import litellm\n"
			"litellm.completion(model=\"anthropic/claude-sonnet-4-6\", messages=[])\n"
			"litellm.completion(model=\"anthropic/claude-not-in-the-catalog\", messages=[])\n",
			want);
	}

	/* The OpenAI SDK counts only on Anthropic's endpoint. */
	check("compat.py",
		"from openai import OpenAI\n"
		"a = OpenAI(base_url=\"https://api.anthropic.com/v1/\")\n"
		"b = OpenAI()\n"
		"a.chat.completions.create(model=\"claude-sonnet-4-6\", messages=[])\n"
		"b.chat.completions.create(model=\"gpt-5\", messages=[])\n",
		"chat.completions.create openai-compat-python: model=explicit:claude-sonnet-4-6@4 max_tokens=default:0 "
		"timeout=default:600 retries=default:2 system=default tools=default stream=default cache=default\n");

	/* Bedrock: only with an Anthropic model id. */
	check("bedrock.py",
		"import boto3\n"
		"rt = boto3.client(\"bedrock-runtime\")\n"
		"rt.converse(modelId=\"anthropic.claude-sonnet-4-6\", messages=[], inferenceConfig={\"maxTokens\": 900})\n"
		"rt.converse(modelId=\"amazon.titan-text-premier-v1:0\", messages=[])\n",
		"converse bedrock-python: model=explicit:anthropic.claude-sonnet-4-6@3 max_tokens=explicit:900@3 "
		"timeout=default:60 retries=default:4 system=default tools=default stream=default\n");

	/* Pydantic AI: the turn cap lives in the run's usage limits; a constant resolves. */
	check("pyd.py",
		"from pydantic_ai import Agent, UsageLimits\n"
		"LIMIT = 12\n"
		"agent = Agent(\"anthropic:claude-sonnet-4-6\", model_settings={\"max_tokens\": 800})\n"
		"agent.run_sync(\"hi\", usage_limits=UsageLimits(request_limit=LIMIT))\n"
		"agent.run_sync(\"hi\")\n",
		"run_sync pydantic-ai: model=explicit:anthropic:claude-sonnet-4-6@3 max_tokens=explicit:800@3 "
		"timeout=default:600 retries=default:2 system=default tools=default stream=default turn_cap=explicit:12@4\n"
		"run_sync pydantic-ai: model=explicit:anthropic:claude-sonnet-4-6@3 max_tokens=explicit:800@3 "
		"timeout=default:600 retries=default:2 system=default tools=default stream=default turn_cap=default:50\n");

	/* The Claude Agent SDK in TypeScript: no turn limit unless maxTurns is set. */
	check("agent.ts",
		"import { query } from \"@anthropic-ai/claude-agent-sdk\";\n"
		"query({ prompt: \"x\", options: { maxTurns: 6 } });\n"
		"query({ prompt: \"x\" });\n",
		"query claude-agent-sdk-typescript: model=default max_tokens=default:0 timeout=default retries=default "
		"system=default tools=default stream=default turn_cap=explicit:6@2\n"
		"query claude-agent-sdk-typescript: model=default max_tokens=default:0 timeout=default retries=default "
		"system=default tools=default stream=default turn_cap=default:unbounded\n");

	/* The TS SDK: per-call options beat the client's; the unit is ms. */
	check("sdk.ts",
		"import Anthropic from \"@anthropic-ai/sdk\";\n"
		"const c = new Anthropic({ timeout: 20_000 });\n"
		"c.messages.create({ model: \"claude-sonnet-4-6\", max_tokens: 100, messages: [] }, { timeout: 5000 });\n",
		"messages.create anthropic-typescript: model=explicit:claude-sonnet-4-6@3 max_tokens=explicit:100@3 "
		"timeout=explicit:5000@3 retries=default:2 system=default tools=default stream=default cache=default "
		"browser=default user_id=default temperature=default top_p=default top_k=default thinking=default messages=explicit\n");

	/* Sampling, thinking and the conversation (CL15.parameter-rejected): where
	 * each adapter keeps them is data; LangChain's live on the client. */
	check("sampling.py",
		"import anthropic\n"
		"from langchain_anthropic import ChatAnthropic\n"
		"c = anthropic.Anthropic()\n"
		"c.messages.create(model=\"claude-opus-4-7\", max_tokens=9, temperature=0.5, top_p=0.9, top_k=5,\n"
		"    thinking={\"type\": \"enabled\"}, messages=[])\n"
		"llm = ChatAnthropic(model=\"claude-opus-4-7\", temperature=0.1, top_k=3)\n"
		"llm.invoke(\"hi\")\n",
		"messages.create anthropic-python: model=explicit:claude-opus-4-7@4 max_tokens=explicit:9@4 "
		"timeout=default:600 retries=default:2 system=default tools=default stream=default cache=default "
		"user_id=default temperature=explicit:0.5@4 top_p=explicit:0.9@4 top_k=explicit:5@4 thinking=explicit messages=explicit\n"
		"invoke langchain-python: model=explicit:claude-opus-4-7@6 max_tokens=default:128000 timeout=default "
		"retries=default:2 system=default tools=default stream=default temperature=explicit:0.1@6 "
		"top_p=default top_k=explicit:3@6 thinking=default\n");

	cl_catalog_unload();
	cl_facts_cleanup();
	cl_surface_unload();
	if (failures)
		printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
