import { Context } from '@temporalio/activity';
import type OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { InvokeModelInput, InvokeModelResult, SessionSettings } from '../workflows/session-types.js';
import type { ContentStore } from './content-store.js';
import { appendMessages, loadConversation } from './conversation.js';
import { toModelFailure } from './model-errors.js';
import { streamChatCompletion } from './stream-chat-completion.js';

export interface ModelDependencies {
  store: ContentStore;
  openai: OpenAI;
  defaultModel: string;
  idleTimeoutMs: number;
  toolSpecs(settings: SessionSettings): ChatCompletionTool[];
}

/** `openai/gpt-4.1` and `gpt-4.1` both name the model `gpt-4.1` at an OpenAI-compatible endpoint. */
export function modelName(model: string): string {
  return model.includes('/') ? model.slice(model.indexOf('/') + 1) : model;
}

export function createInvokeModel(deps: ModelDependencies) {
  return async function invokeModel(input: InvokeModelInput): Promise<InvokeModelResult> {
    const { store } = deps;
    const settingsRef = typeof input.settings === 'string' ? input.settings : await store.put(input.settings);
    const settings = typeof input.settings === 'string' ? await store.get<SessionSettings>(settingsRef) : input.settings;
    const appended = await Promise.all(input.append.map((message) => ('ref' in message ? message.ref : store.put(message))));
    const head = await appendMessages(store, input.conversation, appended);
    const messages = await loadConversation(store, head);
    const tools = input.toolsDisabled ? [] : deps.toolSpecs(settings);
    const model = modelName(settings.model ?? deps.defaultModel);

    const context = Context.current();
    let progress = { chunks: 0, characters: 0 };
    // Heartbeats say the worker is alive (a crash is noticed within the heartbeat timeout) even
    // while the model thinks; a model that stops sending is caught by the idle timeout instead.
    const alive = setInterval(() => context.heartbeat(progress), 2_000);
    let reply;
    try {
      reply = await streamChatCompletion(
        deps.openai,
        {
          model,
          messages,
          ...(tools.length > 0 ? { tools, parallel_tool_calls: true } : {}),
          ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
          ...(settings.topP !== undefined ? { top_p: settings.topP } : {}),
        },
        {
          signal: context.cancellationSignal,
          idleTimeoutMs: deps.idleTimeoutMs,
          onProgress: (latest) => (progress = latest),
        },
      );
    } catch (error) {
      throw toModelFailure(error, deps.openai.baseURL, model);
    } finally {
      clearInterval(alive);
    }
    const conversation = await appendMessages(store, head, [await store.put(reply.message)]);
    return { settings: settingsRef, conversation, model, text: reply.text, toolCalls: reply.toolCalls, usage: reply.usage };
  };
}
