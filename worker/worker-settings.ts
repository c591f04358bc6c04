import path from 'node:path';
import type { ModelSettings } from '../activities/index.js';
import { z } from 'zod';
import { ModelContextLimits, ModelPrices, parseModelTable } from '../activities/model-limits.js';

export const DEFAULT_MODEL = 'gpt-4.1';

const WorkerEnvironment = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ error: 'OPENAI_BASE_URL must be a URL such as https://api.openai.com/v1' }).optional(),
  ORCA_MODEL: z.string().min(1).optional(),
  ORCA_STORE_DIR: z.string().min(1).optional(),
  ORCA_MODEL_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  ORCA_MODEL_CONTEXT_LIMITS: z.string().optional(),
  ORCA_MODEL_PRICES: z.string().optional(),
});

export interface WorkerSettings {
  storeDir: string;
  outputDir: string;
  /** The user's own Markdown agents; null to ignore them (tests). Default ~/.config/orca/agents. */
  userAgentsDir?: string | null;
  model: ModelSettings;
}

/** Settings of a worker from its environment; the API key stays in the worker, never in payloads. */
export function workerSettingsFromEnvironment(environment: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): WorkerSettings {
  const parsed = WorkerEnvironment.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid worker environment: ${problems}`);
  }
  const env = parsed.data;
  const storeDir = path.resolve(cwd, env.ORCA_STORE_DIR ?? '.orca/store');
  return {
    storeDir,
    outputDir: path.join(path.dirname(storeDir), 'tool-output'),
    model: {
      baseURL: env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
      apiKey: env.OPENAI_API_KEY ?? '',
      defaultModel: env.ORCA_MODEL ?? DEFAULT_MODEL,
      idleTimeoutMs: env.ORCA_MODEL_IDLE_TIMEOUT_MS,
      contextLimits: parseModelTable('ORCA_MODEL_CONTEXT_LIMITS', env.ORCA_MODEL_CONTEXT_LIMITS, ModelContextLimits),
      prices: parseModelTable('ORCA_MODEL_PRICES', env.ORCA_MODEL_PRICES, ModelPrices),
    },
  };
}
