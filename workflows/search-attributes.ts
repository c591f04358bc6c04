import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the embedded dev server at start; other servers need them created once (see README). */
export const agentAttribute = defineSearchAttributeKey('OrcaAgent', SearchAttributeType.KEYWORD);
export const parentSessionAttribute = defineSearchAttributeKey('OrcaParentSession', SearchAttributeType.KEYWORD);
export const rootSessionAttribute = defineSearchAttributeKey('OrcaRootSession', SearchAttributeType.KEYWORD);
export const statusAttribute = defineSearchAttributeKey('OrcaStatus', SearchAttributeType.KEYWORD);
export const ciRunAttribute = defineSearchAttributeKey('OrcaCiRunId', SearchAttributeType.KEYWORD);

export const ORCA_SEARCH_ATTRIBUTES = [agentAttribute, parentSessionAttribute, rootSessionAttribute, statusAttribute, ciRunAttribute];
