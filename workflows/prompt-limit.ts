/** Prompts travel in workflow history, whose payloads Temporal caps at 2 MB. */
export const MAX_PROMPT_CHARACTERS = 200_000;

/** Null when the prompt fits; otherwise what is wrong and what to do instead. */
export function promptTooLarge(prompt: string): string | null {
  if (prompt.length <= MAX_PROMPT_CHARACTERS) return null;
  return `The prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARACTERS}. Put long material in a file in the workspace and ask the agent to read it.`;
}
