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
