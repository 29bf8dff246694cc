# claudit-ignore-file CL15.retired-model: replays archived traffic against the old model ids
OLD = "claude-3-haiku-20240307"
OLDER = "claude-3-opus-20240229"
