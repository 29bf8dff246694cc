import logging
import time

import anthropic

log = logging.getLogger(__name__)
client = anthropic.Anthropic(timeout=60.0)


def ask(question: str) -> str:
    started = time.perf_counter()
    msg = client.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=512,
        messages=[{"role": "user", "content": question}],
    )
    log.info("claude", extra={"usage": msg.usage.model_dump(), "request_id": msg._request_id,
                              "seconds": time.perf_counter() - started})
    return msg.content[0].text
