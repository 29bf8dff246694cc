import anthropic

client = anthropic.Anthropic(timeout=60.0)

# Same line, reason after a colon: suppressed.
FAST = "claude-haiku-4-5"  # claudit-ignore CL15.model-alias: the gateway pins this alias

# Alone on its line: covers the next line; an item id covers all its rules.
# claudit-ignore CL15 -- kept for the replay tool, which maps it
REPLAY = "claude-haiku-4-5"

# A run of suppression comments covers the first line after the run.
# claudit-ignore CL08: not a max_tokens line
# claudit-ignore CL15.model-alias: stacked under another suppression
STACKED = "claude-haiku-4-5"

# No reason: suppresses nothing, and is reported.
# claudit-ignore CL15.model-alias
NO_REASON = "claude-haiku-4-5"

# Nothing to suppress here, and a misspelt id.
PINNED = "claude-haiku-4-5-20251001"  # claudit-ignore CL15.model-alias, CL15.model-alais: old note

# Not a comment: a string that mentions the marker suppresses nothing.
TEXT = "claude-haiku-4-5 # claudit-ignore CL15: inside a string"
