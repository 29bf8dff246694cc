// Summaries via a raw fetch: no timeout, no retry, no max_tokens, retired model.
import { NextRequest, NextResponse } from "next/server";

export async function POST(req: NextRequest) {
  const { text } = await req.json();
  const res = await fetch("https://api.anthropic.com/v1/messages", {
    method: "POST",
    headers: {
      "x-api-key": "sk-ant-api03-FAKE-FIXTURE-FAKE-FIXTURE-FAKE-FIXTURE-FAKE-FIXTURE-FAKE-FIXTURE-FAKE-FIXTURE-FAKE-FIXTURE-FAAA",
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    },
    body: JSON.stringify({
      model: "claude-3-haiku-20240307",
      messages: [{ role: "user", content: `Summarize this ticket:\n\n${text}` }],
    }),
  });
  const data = await res.json();
  return NextResponse.json({ summary: data.content?.[0]?.text ?? "" });
}
