import { compactionPrompt } from '../agents/prompts/compaction.js';
import type { ContentStore } from './content-store.js';
import { appendMessages, type ChatMessage, type StoredConversation } from './conversation.js';

/** Turns kept verbatim after a compaction; older ones are summarised. */
export const KEPT_TURNS = 2;
/** Tool outputs (and tool-call arguments) are cut to this length in the text sent for summary. */
export const SUMMARISED_TOOL_OUTPUT_CHARACTERS = 2_000;
export const SUMMARY_PREFIX = 'Summary of the conversation so far:';

interface Entry { ref: string; message: ChatMessage }

/** The leading system messages, and the turns after them: a user message, or an assistant message with its tool results. */
export function splitTurns(conversation: Pick<StoredConversation, 'refs' | 'messages'>): { system: Entry[]; turns: Entry[][] } {
  const entries = conversation.messages.map((message, index) => ({ ref: conversation.refs[index]!, message }));
  const firstTurn = entries.findIndex((entry) => entry.message.role !== 'system' && entry.message.role !== 'developer');
  const system = firstTurn === -1 ? entries : entries.slice(0, firstTurn);
  const turns: Entry[][] = [];
  for (const entry of firstTurn === -1 ? [] : entries.slice(firstTurn)) {
    const current = turns.at(-1);
    if (entry.message.role === 'tool' && current) current.push(entry);
    else turns.push([entry]);
  }
  return { system, turns };
}

/**
 * Tokens of the conversation: the model's own count from its last reply, plus about a token per four
 * characters of what came after it (or of everything, with `uncountedExtra` such as the tool specs).
 */
export function estimateTokens(conversation: StoredConversation, uncountedExtra = 0): number {
  const counted = conversation.countedTokens !== undefined;
  const uncounted = conversation.messages.slice(counted ? conversation.countedMessages : 0);
  const characters = uncounted.reduce((sum, message) => sum + JSON.stringify(message).length, 0) + (counted ? 0 : uncountedExtra);
  return (conversation.countedTokens ?? 0) + Math.ceil(characters / 4);
}

export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => ('text' in part && typeof part.text === 'string' ? part.text : `[${part.type}]`)).join('');
}

function cut(text: string, limit = SUMMARISED_TOOL_OUTPUT_CHARACTERS): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n[... ${text.length - limit} more characters cut]`;
}

/** The older turns as plain text, so any endpoint can summarise them without tool definitions. */
export function transcript(turns: Entry[][]): string {
  const toolNames = new Map<string, string>();
  const blocks: string[] = [];
  for (const { message } of turns.flat()) {
    if (message.role === 'assistant') {
      const calls = (message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [call] : []));
      for (const call of calls) toolNames.set(call.id, call.function.name);
      const text = messageText(message);
      const lines = calls.map((call) => `[calls ${call.function.name}] ${cut(call.function.arguments)}`);
      blocks.push(['[assistant]', ...(text ? [text] : []), ...lines].join('\n'));
    } else if (message.role === 'tool') {
      blocks.push(`[${toolNames.get(message.tool_call_id) ?? 'tool'} result]\n${cut(messageText(message))}`);
    } else {
      blocks.push(`[${message.role}]\n${messageText(message)}`);
    }
  }
  return blocks.join('\n\n');
}

export function summaryRequest(olderTurns: Entry[][]): ChatMessage[] {
  return [
    { role: 'system', content: compactionPrompt },
    {
      role: 'user',
      content: `Summarise this conversation for the agent that will continue it; the last ${KEPT_TURNS} turns follow your summary verbatim.\n\n<conversation>\n${transcript(olderTurns)}\n</conversation>`,
    },
  ];
}

export interface Compaction {
  /** Head of the new stored conversation: the system messages, the summary, the kept turns. */
  head: string;
  summary: string;
}

/**
 * Summarises all but the last turns with a tool-less model call and starts a new stored conversation.
 * Undefined when there is nothing older than the kept turns.
 */
export async function compactConversation(
  store: ContentStore,
  conversation: StoredConversation,
  summarize: (messages: ChatMessage[]) => Promise<string>,
): Promise<Compaction | undefined> {
  const { system, turns } = splitTurns(conversation);
  if (turns.length <= KEPT_TURNS) return undefined;
  const older = turns.slice(0, -KEPT_TURNS);
  const kept = turns.slice(-KEPT_TURNS).flat();
  const summary = (await summarize(summaryRequest(older))).trim();
  const summaryRef = await store.put({ role: 'user', content: `${SUMMARY_PREFIX}\n\n${summary}` });
  const head = await appendMessages(store, null, [...system.map((entry) => entry.ref), summaryRef, ...kept.map((entry) => entry.ref)]);
  return { head, summary };
}
