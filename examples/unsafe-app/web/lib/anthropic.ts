import Anthropic from "@anthropic-ai/sdk";

// "We handle errors ourselves" -- so the SDK's 429/529 retries are off,
// and the timeout was meant to be 30 seconds (it is 30 milliseconds).
export const anthropic = new Anthropic({
  apiKey: process.env.ANTHROPIC_API_KEY,
  maxRetries: 0,
  timeout: 30,
});

export const MODEL = process.env.CLAUDE_MODEL ?? "claude-3-5-sonnet-latest";
