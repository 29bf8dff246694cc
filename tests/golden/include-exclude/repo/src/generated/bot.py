import anthropic

client = anthropic.Anthropic(timeout=60.0)

# an alias: CL15.model-alias, unless CL15 is turned off
MODEL = "claude-haiku-4-5"


def reply(text: str) -> str:
    msg = client.messages.create(model=MODEL, max_tokens=256,
                                 messages=[{"role": "user", "content": text}])
    return msg.content[0].text
