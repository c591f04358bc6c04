import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ContentStore } from './content-store.js';

/** One link of a stored conversation: the messages added at one point, and what came before. */
interface ConversationNode {
  parent: string | null;
  messages: string[];
  /** The model's own count of the conversation up to and including this node (its last reply's usage). */
  tokens?: number;
}

export type ChatMessage = ChatCompletionMessageParam;

/** A stored conversation read back, with the references of its messages. */
export interface StoredConversation {
  refs: string[];
  messages: ChatMessage[];
  /** Tokens of `messages[0 .. countedMessages)` as the model counted them, when a reply recorded it. */
  countedTokens?: number;
  countedMessages: number;
}

export async function appendMessages(
  store: ContentStore,
  head: string | null,
  messageRefs: string[],
  options: { tokens?: number } = {},
): Promise<string> {
  if (messageRefs.length === 0 && head) return head;
  const node: ConversationNode = { parent: head, messages: messageRefs, ...(options.tokens ? { tokens: options.tokens } : {}) };
  return store.put(node);
}

export async function readConversation(store: ContentStore, head: string | null): Promise<StoredConversation> {
  const nodes: ConversationNode[] = [];
  for (let ref = head; ref; ) {
    const node = await store.get<ConversationNode>(ref);
    nodes.push(node);
    ref = node.parent;
  }
  nodes.reverse();
  const refs = nodes.flatMap((node) => node.messages);
  let countedTokens: number | undefined;
  let countedMessages = 0;
  let position = 0;
  for (const node of nodes) {
    position += node.messages.length;
    if (node.tokens) [countedTokens, countedMessages] = [node.tokens, position];
  }
  const messages = await Promise.all(refs.map((ref) => store.get<ChatMessage>(ref)));
  return { refs, messages, countedMessages, ...(countedTokens ? { countedTokens } : {}) };
}

export async function loadConversation(store: ContentStore, head: string | null): Promise<ChatMessage[]> {
  return (await readConversation(store, head)).messages;
}
