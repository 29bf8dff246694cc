"""Builds the one Claude client the bot uses; the cogs call it."""
import anthropic


def build_claude_client():
    return anthropic.Anthropic(timeout=60.0, max_retries=3)
