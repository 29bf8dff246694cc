"""Tool-use loop for the support agent: capped, cached, idempotent."""
import json
import logging
import os
import uuid

import requests

from llm import FALLBACK_REPLY, MODEL, create_message
from tools import TOOLS

log = logging.getLogger("agent")

PAYMENTS_URL = os.environ.get("PAYMENTS_URL", "https://payments.internal.example.com")
MAX_TURNS = 8

SYSTEM_PROMPT = open("prompts/support_system.md").read()
# The policy is ~1.3k tokens and identical on every turn: cache it.
SYSTEM = [{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}]


def run_agent(message: str, conversation_id: str) -> str:
    messages = [{"role": "user", "content": message}]
    for turn in range(MAX_TURNS):
        response = create_message(
            "agent",
            correlation_id=conversation_id,
            model=MODEL,
            max_tokens=1024,
            system=SYSTEM,
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
                    "content": run_tool(block.name, block.input, block.id),
                })
        messages.append({"role": "user", "content": results})
    log.warning("agent_turn_cap conversation_id=%s max_turns=%d", conversation_id, MAX_TURNS)
    return FALLBACK_REPLY


def run_tool(name: str, args: dict, tool_use_id: str) -> str:
    if name == "lookup_order":
        r = requests.get(f"{PAYMENTS_URL}/orders/{args['order_id']}", timeout=10)
        return r.text
    if name == "issue_refund":
        # The tool_use id is stable for this call: a retried turn cannot refund twice.
        idempotency_key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"refund/{args['order_id']}/{tool_use_id}"))
        r = requests.post(
            f"{PAYMENTS_URL}/refunds",
            json=args,
            headers={"Idempotency-Key": idempotency_key},
            timeout=10,
        )
        return json.dumps({"status": r.status_code})
    return json.dumps({"error": f"unknown tool {name}"})
