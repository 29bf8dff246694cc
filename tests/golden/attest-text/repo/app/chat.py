import anthropic

client = anthropic.Anthropic(timeout=60.0)


def ask(question: str) -> str:
    msg = client.messages.create(
        model="claude-sonnet-4-6",
        max_tokens=512,
        messages=[{"role": "user", "content": question}],
    )
    return msg.content[0].text
