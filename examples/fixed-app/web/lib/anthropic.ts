// One server-side client: key from the environment, a hard timeout, SDK retries on.
import Anthropic from "@anthropic-ai/sdk";
import CircuitBreaker from "opossum";

export const anthropic = new Anthropic({
  apiKey: process.env.ANTHROPIC_API_KEY,
  timeout: 90_000, // 90 s per request
  maxRetries: 3, // exponential backoff with jitter on 408/409/429/5xx (529 included)
});

// Pinned: from the 4.6 generation on, dateless ids are fixed snapshots.
export const MODEL = "claude-sonnet-4-6";
export const FAST_MODEL = "claude-haiku-4-5-20251001";

type CreateParams = Anthropic.MessageCreateParamsNonStreaming;

async function create(params: CreateParams) {
  return anthropic.messages.create(params).withResponse();
}

// Opens after half of the calls in a 30 s window fail; a static answer meanwhile.
export const claudeBreaker = new CircuitBreaker(create, {
  errorThresholdPercentage: 50,
  rollingCountTimeout: 30_000,
  resetTimeout: 20_000,
  volumeThreshold: 10,
});

export const FALLBACK_REPLY =
  "Our assistant is unavailable right now. A human agent will answer your message by e-mail.";
