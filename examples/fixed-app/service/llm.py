"""The Claude client, its circuit breaker, and per-request logging/metrics."""
import logging
import os
import time
import uuid

import anthropic
import pybreaker
from prometheus_client import Histogram

log = logging.getLogger("claude")

# Key from the environment (injected from the secret store per environment);
# a hard 60 s timeout; SDK retries (backoff + jitter on 429/529) left on.
client = anthropic.Anthropic(
    api_key=os.environ["ANTHROPIC_API_KEY"],
    timeout=60.0,
    max_retries=3,
)

MODEL = "claude-sonnet-4-6"
FAST_MODEL = "claude-haiku-4-5-20251001"

# Five consecutive failures open the breaker for 30 s; callers serve a static fallback.
breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30, exclude=[anthropic.BadRequestError])
FALLBACK_REPLY = "Our assistant is unavailable right now. A human agent will answer your message by e-mail."

CLAUDE_LATENCY = Histogram(
    "claude_request_duration_seconds",
    "Claude Messages API latency",
    ["route", "model"],
    buckets=(0.5, 1, 2, 5, 10, 20, 40, 60),
)


@breaker
def create_message(route: str, correlation_id: str | None = None, **params) -> anthropic.types.Message:
    correlation_id = correlation_id or str(uuid.uuid4())
    started = time.perf_counter()
    try:
        msg = client.messages.create(**params)
    except anthropic.RateLimitError as e:
        log.warning("claude_error kind=rate_limit status=429 request_id=%s correlation_id=%s", e.request_id, correlation_id)
        raise
    except anthropic.APITimeoutError:
        log.warning("claude_error kind=timeout correlation_id=%s", correlation_id)
        raise
    except anthropic.APIStatusError as e:
        kind = "overloaded" if e.status_code == 529 else "client_error" if e.status_code < 500 else "server_error"
        log.error("claude_error kind=%s status=%s request_id=%s correlation_id=%s", kind, e.status_code, e.request_id, correlation_id)
        raise
    elapsed = time.perf_counter() - started
    CLAUDE_LATENCY.labels(route=route, model=msg.model).observe(elapsed)
    log.info(
        "claude_request route=%s model=%s input_tokens=%d output_tokens=%d cache_read_input_tokens=%d "
        "latency_ms=%.0f request_id=%s correlation_id=%s",
        route,
        msg.model,
        msg.usage.input_tokens,
        msg.usage.output_tokens,
        msg.usage.cache_read_input_tokens or 0,
        elapsed * 1000,
        msg._request_id,
        correlation_id,
    )
    return msg
