import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { SessionSettings } from '../workflows/session-types.js';
import type { ContentStore } from './content-store.js';
import { createInvokeModel } from './invoke-model.js';
import { createLoadAgents } from './load-agents.js';
import { createRunTool } from './run-tool.js';
import { toolSpecs } from './tools/index.js';

export interface ActivityDependencies {
  store: ContentStore;
  outputDir: string;
  model: { baseURL: string; apiKey: string; defaultModel: string; idleTimeoutMs?: number };
  userAgentsDir?: string | null;
}

export function specsForSession(settings: SessionSettings): ChatCompletionTool[] {
  return toolSpecs(settings.tools) as ChatCompletionTool[];
}

export function createActivities(deps: ActivityDependencies) {
  // Temporal's retry policy owns retries, so the SDK's own are off.
  const openai = new OpenAI({ baseURL: deps.model.baseURL, apiKey: deps.model.apiKey, maxRetries: 0, timeout: 10 * 60_000 });
  return {
    loadAgents: createLoadAgents({ userAgentsDir: deps.userAgentsDir }),
    invokeModel: createInvokeModel({
      store: deps.store,
      openai,
      defaultModel: deps.model.defaultModel,
      idleTimeoutMs: deps.model.idleTimeoutMs ?? 60_000,
      toolSpecs: specsForSession,
    }),
    runTool: createRunTool({ store: deps.store, outputDir: deps.outputDir }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
