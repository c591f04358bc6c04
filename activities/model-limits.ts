import { z } from 'zod';
import type { Usage } from '../workflows/session-types.js';

export const DEFAULT_CONTEXT_LIMIT = 128_000;
/** Reserve for the reply when compacting, as in OpenCode: min(20k, the model's max output). */
const COMPACTION_BUFFER = 20_000;
const DEFAULT_MAX_OUTPUT = 32_000;

/** USD per million tokens; cached input defaults to the input price. */
export const ModelPrice = z.strictObject({
  input: z.number().nonnegative().describe('USD per million input tokens'),
  output: z.number().nonnegative().describe('USD per million output tokens'),
  cachedInput: z.number().nonnegative().optional().describe('USD per million cached input tokens'),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** A context window in tokens, or the window and the model's maximum output. */
export const ModelContextLimit = z.union([
  z.number().int().positive(),
  z.strictObject({
    context: z.number().int().positive().describe('Context window in tokens'),
    output: z.number().int().positive().optional().describe('Maximum output tokens'),
  }),
]);
export type ModelContextLimit = z.infer<typeof ModelContextLimit>;

export const ModelPrices = z.record(z.string(), ModelPrice);
export type ModelPrices = z.infer<typeof ModelPrices>;
export const ModelContextLimits = z.record(z.string(), ModelContextLimit);
export type ModelContextLimits = z.infer<typeof ModelContextLimits>;

/** Parses a JSON table from an environment variable, naming the variable and the entry that is wrong. */
export function parseModelTable<T>(variable: string, text: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${variable} is not valid JSON (${(error as Error).message}); expected e.g. ${exampleFor(variable)}`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ');
    throw new Error(`${variable} is invalid: ${problems}; expected e.g. ${exampleFor(variable)}`);
  }
  return result.data;
}

function exampleFor(variable: string): string {
  return variable.includes('PRICE')
    ? '{"gpt-4.1": {"input": 2.0, "output": 8.0, "cachedInput": 0.5}}'
    : '{"gpt-4.1": 1047576} or {"gpt-4.1": {"context": 1047576, "output": 32768}}';
}

/** Looks a model up as configured (`openai/gpt-4.1`), then by its bare name (`gpt-4.1`). */
export function lookupModel<T>(table: Record<string, T> | undefined, model: string): T | undefined {
  if (!table) return undefined;
  if (Object.hasOwn(table, model)) return table[model];
  const bare = model.includes('/') ? model.slice(model.indexOf('/') + 1) : model;
  return Object.hasOwn(table, bare) ? table[bare] : undefined;
}

/**
 * Tokens at which older turns are summarised: the context window minus room for the reply,
 * min(20k, max output). The reserve never exceeds a quarter of the window, so a small model
 * still has room for a conversation.
 */
export function compactionThreshold(limit: ModelContextLimit | undefined): number {
  const context = typeof limit === 'number' ? limit : limit?.context ?? DEFAULT_CONTEXT_LIMIT;
  const output = typeof limit === 'number' ? undefined : limit?.output;
  const reserve = Math.min(COMPACTION_BUFFER, output ?? DEFAULT_MAX_OUTPUT, Math.floor(context / 4));
  return context - reserve;
}

/** OpenAI counts cached tokens inside the prompt tokens; they are billed at the cached price. */
export function costUsd(usage: Usage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const dollars =
    (usage.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output;
  return dollars / 1_000_000;
}

export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
  };
  if (a.costUsd !== undefined || b.costUsd !== undefined) sum.costUsd = (a.costUsd ?? 0) + (b.costUsd ?? 0);
  return sum;
}
