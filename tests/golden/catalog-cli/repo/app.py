"""Model ids the built-in catalog does not have, or has with other dates."""
import anthropic

client = anthropic.Anthropic(timeout=60.0)


def ask(question, model="claude-opus-6"):
    return client.messages.create(model=model, max_tokens=1024,
                                  messages=[{"role": "user", "content": question}])


def classify(text):
    return client.messages.create(model="claude-haiku-4-5-20251001", max_tokens=16,
                                  messages=[{"role": "user", "content": text}])


def draft(text):
    return client.messages.create(model="claude-opus-7", max_tokens=1024,
                                  messages=[{"role": "user", "content": text}])
