"""Nightly digest: summarises the day's tickets for the support lead."""
import time

import anthropic

client = anthropic.Anthropic(timeout=60.0)


def summarise(tickets: list[str]) -> str:
    prompt = "Summarise these support tickets in five bullet points:\n\n" + "\n---\n".join(tickets)
    # "Retry a few times if Claude is busy": every error, at a fixed 1 s pace.
    for attempt in range(3):
        try:
            msg = client.messages.create(
                model="claude-sonnet-4-6",
                max_tokens=1024,
                messages=[{"role": "user", "content": prompt}],
            )
            return msg.content[0].text
        except Exception:
            time.sleep(1)
    raise RuntimeError("digest failed after 3 attempts")
