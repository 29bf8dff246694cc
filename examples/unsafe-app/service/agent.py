"""Tool-use loop for the support agent, and the tools' implementations."""
import json
import os

import anthropic
import requests

from tools import TOOLS

PAYMENTS_URL = os.environ.get("PAYMENTS_URL", "https://payments.internal.example.com")

SYSTEM_PROMPT = open("prompts/support_system.md").read()


def run_agent(client: anthropic.Anthropic, message: str) -> str:
    messages = [{"role": "user", "content": message}]
    # Loops until the model stops asking for tools -- there is no iteration cap.
    while True:
        response = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=64000,
            # A ~1.4k-token policy sent on every turn with no cache_control.
            system=SYSTEM_PROMPT,
            tools=TOOLS,
            messages=messages,
        )
        messages.append({"role": "assistant", "content": response.content})
        if response.stop_reason != "tool_use":
            return "".join(b.text for b in response.content if b.type == "text")
        results = []
        for block in response.content:
            if block.type == "tool_use":
                results.append({
                    "type": "tool_result",
                    "tool_use_id": block.id,
                    "content": run_tool(block.name, block.input),
                })
        messages.append({"role": "user", "content": results})


def run_tool(name: str, args: dict) -> str:
    if name == "lookup_order":
        r = requests.get(f"{PAYMENTS_URL}/orders/{args['order_id']}")
        return r.text
    if name == "issue_refund":
        # A retried turn or a duplicated tool call refunds twice: no idempotency key.
        r = requests.post(f"{PAYMENTS_URL}/refunds", json=args)
        return json.dumps({"status": r.status_code})
    return json.dumps({"error": f"unknown tool {name}"})
