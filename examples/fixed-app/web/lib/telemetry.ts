// Latency histogram and one structured log line per Claude request.
import { metrics } from "@opentelemetry/api";
import type Anthropic from "@anthropic-ai/sdk";

const meter = metrics.getMeter("acme-support-web");
export const claudeLatency = meter.createHistogram("claude_request_duration_ms", {
  description: "Claude Messages API latency",
  unit: "ms",
});

export function logUsage(route: string, msg: Anthropic.Message, requestId: string | null, ms: number, correlationId: string) {
  claudeLatency.record(ms, { route, model: msg.model });
  console.log(
    JSON.stringify({
      event: "claude_request",
      route,
      model: msg.model,
      input_tokens: msg.usage.input_tokens,
      output_tokens: msg.usage.output_tokens,
      cache_read_input_tokens: msg.usage.cache_read_input_tokens ?? 0,
      cache_creation_input_tokens: msg.usage.cache_creation_input_tokens ?? 0,
      latency_ms: ms,
      request_id: requestId,
      correlation_id: correlationId,
    }),
  );
}
