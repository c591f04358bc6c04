import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { SessionState } from './messages.js';
import { agentAttribute, ciRunAttribute, parentSessionAttribute, rootSessionAttribute, statusAttribute } from './search-attributes.js';

export function sessionAttributes(session: { agent: string; parentId?: string; rootSessionId: string; ciRunId?: string }): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [
    { key: agentAttribute, value: session.agent },
    { key: rootSessionAttribute, value: session.rootSessionId },
  ];
  if (session.parentId) pairs.push({ key: parentSessionAttribute, value: session.parentId });
  if (session.ciRunId) pairs.push({ key: ciRunAttribute, value: session.ciRunId });
  return pairs;
}

export function statusAttributes(state: SessionState): SearchAttributeUpdatePair[] {
  return [{ key: statusAttribute, value: state }];
}

/** Shown by `orca list` and the Web UI beside the workflow id. */
export function sessionMemo(agent: string, prompt: string): Record<string, string> {
  const firstLine = prompt.trim().split('\n')[0] ?? '';
  return { agent, prompt: firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine };
}
