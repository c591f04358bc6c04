/** Activities of the raw Temporal baseline: a no-op, a tool that returns N bytes, and the same scripted model over HTTP. */
export function createRawActivities(modelBaseURL: string) {
  return {
    async setup(): Promise<void> {},

    async tool(input: { bytes: number; index: number }): Promise<string> {
      return input.bytes > 0 ? String(input.index).padEnd(input.bytes, 'x') : 'ok';
    },

    /** The same wire work as Orca's model call: a streamed chat completion read to its end. */
    async modelCall(input: { tag: string; messages: string[] }): Promise<string> {
      const response = await fetch(`${modelBaseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
        body: JSON.stringify({
          model: 'raw',
          stream: true,
          messages: [{ role: 'user', content: input.tag }, ...input.messages.map((content) => ({ role: 'user', content }))],
        }),
      });
      if (!response.ok) throw new Error(`scripted model answered ${response.status}: ${await response.text()}`);
      return assistantMessage(await response.text());
    },
  };
}

export type RawActivities = ReturnType<typeof createRawActivities>;

interface Delta {
  content?: string | null;
  tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[];
}

/** Folds an SSE chat-completion stream into the assistant message, as JSON. */
function assistantMessage(stream: string): string {
  let content = '';
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const line of stream.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as { choices?: { delta?: Delta }[] };
    const delta = chunk.choices?.[0]?.delta;
    content += delta?.content ?? '';
    for (const call of delta?.tool_calls ?? []) {
      const known = (calls[call.index] ??= { id: '', name: '', arguments: '' });
      known.id ||= call.id ?? '';
      known.name ||= call.function?.name ?? '';
      known.arguments += call.function?.arguments ?? '';
    }
  }
  return JSON.stringify({ role: 'assistant', content, tool_calls: calls });
}
