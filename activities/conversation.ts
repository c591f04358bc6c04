import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ContentStore } from './content-store.js';

/** One link of a stored conversation: the messages added at one point, and what came before. */
interface ConversationNode {
  parent: string | null;
  messages: string[];
}

export type ChatMessage = ChatCompletionMessageParam;

export async function appendMessages(store: ContentStore, head: string | null, messageRefs: string[]): Promise<string> {
  if (messageRefs.length === 0 && head) return head;
  const node: ConversationNode = { parent: head, messages: messageRefs };
  return store.put(node);
}

export async function loadConversation(store: ContentStore, head: string | null): Promise<ChatMessage[]> {
  const nodes: ConversationNode[] = [];
  for (let ref = head; ref; ) {
    const node = await store.get<ConversationNode>(ref);
    nodes.push(node);
    ref = node.parent;
  }
  const refs = nodes.reverse().flatMap((node) => node.messages);
  return Promise.all(refs.map((ref) => store.get<ChatMessage>(ref)));
}
