import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { SessionSettings } from '../workflows/session-types.js';
import type { ContentStore } from './content-store.js';
import { createInvokeModel } from './invoke-model.js';
import { createLoadAgents } from './load-agents.js';
import { createRunTool } from './run-tool.js';
import type { ModelContextLimits, ModelPrices } from './model-limits.js';
import { sessionToolSpecs } from './tools/index.js';
import { workflowToolSpecs } from './workflow-tool-specs.js';
import { isWorkflowTool } from '../workflows/workflow-tools.js';

/** Where and how a worker calls the model; the API key stays in the worker. */
export interface ModelSettings {
  baseURL: string;
  apiKey: string;
  defaultModel: string;
  /** A model that sends nothing for this long is abandoned and retried. */
  idleTimeoutMs?: number;
  /** Context windows by model name; 128k for a model not named. */
  contextLimits?: ModelContextLimits;
  /** USD per million tokens by model name; sessions report a cost only for models named here. */
  prices?: ModelPrices;
}

export interface ActivityDependencies {
  store: ContentStore;
  outputDir: string;
  model: ModelSettings;
  userAgentsDir?: string | null;
}

/** Specs for one session: the skill tool lists the skills of its workspace that its agent may load. */
export async function specsForSession(settings: SessionSettings): Promise<ChatCompletionTool[]> {
  const activityTools = settings.tools.filter((id) => !isWorkflowTool(id));
  const specs = await sessionToolSpecs(activityTools, { workspace: settings.workspace, permission: settings.permission });
  return [...specs, ...workflowToolSpecs(settings)] as ChatCompletionTool[];
}

export function createActivities(deps: ActivityDependencies) {
  // Temporal's retry policy owns retries, so the SDK's own are off.
  const openai = new OpenAI({ baseURL: deps.model.baseURL, apiKey: deps.model.apiKey, maxRetries: 0, timeout: 10 * 60_000 });
  return {
    loadAgents: createLoadAgents({ store: deps.store, userAgentsDir: deps.userAgentsDir }),
    invokeModel: createInvokeModel({
      store: deps.store,
      openai,
      defaultModel: deps.model.defaultModel,
      idleTimeoutMs: deps.model.idleTimeoutMs ?? 60_000,
      toolSpecs: specsForSession,
      contextLimits: deps.model.contextLimits,
      prices: deps.model.prices,
    }),
    runTool: createRunTool({ store: deps.store, outputDir: deps.outputDir }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
