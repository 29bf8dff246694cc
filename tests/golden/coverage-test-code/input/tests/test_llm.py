import anthropic


def test_reply_is_short():
    client = anthropic.Anthropic(timeout=30.0)
    reply = client.messages.create(
        model="claude-haiku-4-5-20251001",
        max_tokens=64,
        messages=[{"role": "user", "content": "Say hi"}],
    )
    assert reply.content
