MODEL = "claude-opus-4-1"  # outside src/: not included
