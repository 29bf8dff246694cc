"""Acme support service (FastAPI). Everything here works -- until it doesn't."""
import anthropic
from fastapi import FastAPI, Request

from agent import run_agent

app = FastAPI()

# Key pasted in "for the demo"; no timeout (the SDK waits up to 10 minutes).
client = anthropic.Anthropic(api_key="sk-ant-api03-EXAMPLEKEY0EXAMPLEKEY0EXAMPLEKEY0EXAMPLEKEY0EXAMPLEKEY0EXAMPLEKEY0EXAMPLEKEY0EXAMPLEKEY0EXAMPAA")


@app.post("/chat")
async def chat(request: Request):
    body = await request.json()
    # No rate limit: one user can spend the whole monthly budget in an afternoon.
    return {"reply": run_agent(client, body["message"])}


@app.post("/classify")
async def classify(request: Request):
    body = await request.json()
    try:
        msg = client.messages.create(
            model="claude-3-haiku-20240307",
            max_tokens=4096,
            # User-supplied "context" concatenated into the system prompt.
            system="Classify the ticket into billing, shipping or product. Context: " + body["context"],
            messages=[{"role": "user", "content": body["text"]}],
        )
        return {"label": msg.content[0].text}
    except Exception:
        pass
    return {"label": "unknown"}
