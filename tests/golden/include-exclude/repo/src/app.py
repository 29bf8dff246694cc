import anthropic

client = anthropic.Anthropic(timeout=60.0)

# a pinned id
MODEL = "claude-haiku-4-5-20251001"


def reply(text: str) -> str:
    msg = client.messages.create(model=MODEL, max_tokens=256,
                                 messages=[{"role": "user", "content": text}])
    return msg.content[0].text
