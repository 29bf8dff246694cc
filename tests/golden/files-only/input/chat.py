import anthropic

client = anthropic.Anthropic(timeout=60.0)


def reply(text: str) -> str:
    msg = client.messages.create(
        model="claude-haiku-4-5",
        max_tokens=512,
        messages=[{"role": "user", "content": text}],
    )
    return msg.content[0].text
