import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
// A CommonJS module: Node's ESM loader sees only its default export.
import proto, { type temporal as TemporalApi } from '@temporalio/proto';
import { ORCA_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';

const { temporal } = proto;

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** The names `temporal server start-dev --search-attribute` and `temporal operator search-attribute create` take. */
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

const INDEXED_TYPES: Record<SearchAttributeType, TemporalApi.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** `Name=Keyword` pairs for every Orca search attribute. */
export function searchAttributeDefinitions(): string[] {
  return ORCA_SEARCH_ATTRIBUTES.map((key) => `${key.name}=${CLI_TYPE_NAMES[key.type]}`);
}

/** `--search-attribute Name=Type` for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return searchAttributeDefinitions().flatMap((definition) => ['--search-attribute', definition]);
}

/** The command that creates Orca's search attributes on a server that lacks them. */
export function createSearchAttributesCommand(namespace: string): string {
  const pairs = ORCA_SEARCH_ATTRIBUTES.map((key) => `--name ${key.name} --type ${CLI_TYPE_NAMES[key.type]}`).join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} ${pairs}`;
}

/**
 * Adds the Orca search attributes a server lacks. The dev server registers the ones given at start
 * only when it creates its database, so an older `.orca/temporal.db` needs this.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  const missing = ORCA_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPES[key.type]])),
  });
  return missing.map((key) => key.name);
}

/** Whether a failed start was refused because the server does not know an Orca search attribute. */
export function isUnknownSearchAttributeError(error: unknown): boolean {
  const message = errorMessages(error);
  return /search attribute/i.test(message) && ORCA_SEARCH_ATTRIBUTES.some((key) => message.includes(key.name));
}

/** The messages of an error and its causes (the client wraps the server's answer in "Failed to start Workflow"). */
export function errorMessages(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current !== undefined && current !== null && messages.length < 5; current = (current as { cause?: unknown }).cause) {
    messages.push(current instanceof Error ? current.message : String(current));
  }
  return messages.join(': ');
}
