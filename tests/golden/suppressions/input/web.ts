import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic({ timeout: 60_000 });

// claudit-ignore CL15.model-alias: the edge config overrides it
const a = "claude-haiku-4-5";
const b = "claude-haiku-4-5"; /* claudit-ignore CL15: block comment on the same line */
/*
 * claudit-ignore CL15.model-alias: inside a block comment, covers the code after it
 */
const c = "claude-haiku-4-5";
// A hash is not a comment in TypeScript:
const d = ["claude-haiku-4-5", "# claudit-ignore CL15: no"];
export { client, a, b, c, d };
