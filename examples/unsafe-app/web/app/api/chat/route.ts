// Customer chat endpoint: anyone on the internet can call it, as often as they like.
import { NextRequest, NextResponse } from "next/server";
import { anthropic, MODEL } from "../../../lib/anthropic";

export const maxDuration = 60;

const TOOLS = [
  {
    name: "lookup_order",
    description: "Look up an order by id",
    input_schema: {
      type: "object" as const,
      properties: { order_id: { type: "string" } },
      required: ["order_id"],
    },
  },
];

async function lookupOrder(orderId: string) {
  return { order_id: orderId, status: "shipped" };
}

export async function POST(req: NextRequest) {
  const body = await req.json();
  const messages: any[] = [{ role: "user", content: body.message }];
  try {
    // The agent loop keeps going for as long as the model asks for tools.
    while (true) {
      const msg = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 200000,
        // The customer's name and plan go straight into the system prompt.
        system: `You are Acme's support assistant. The customer is ${body.name} on the ${body.plan} plan. ${body.instructions ?? ""}`,
        tools: TOOLS,
        messages,
      });
      messages.push({ role: "assistant", content: msg.content });
      if (msg.stop_reason !== "tool_use") {
        const text = msg.content.find((b) => b.type === "text");
        return NextResponse.json({ reply: text && text.type === "text" ? text.text : "" });
      }
      const results = [];
      for (const block of msg.content) {
        if (block.type === "tool_use") {
          const out = await lookupOrder((block.input as { order_id: string }).order_id);
          results.push({ type: "tool_result", tool_use_id: block.id, content: JSON.stringify(out) });
        }
      }
      messages.push({ role: "user", content: results });
    }
  } catch (e) {
    // Errors are swallowed: the user just gets an empty reply.
  }
  return NextResponse.json({ reply: "" });
}
