import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import type { InvokeModelInput, InvokeModelResult, SessionSettings, Usage } from '../workflows/session-types.js';
import { compactConversation, estimateTokens } from './compact-conversation.js';
import type { ContentStore } from './content-store.js';
import { appendMessages, readConversation, type ChatMessage } from './conversation.js';
import { addUsage, compactionThreshold, costUsd, lookupModel, type ModelContextLimits, type ModelPrices } from './model-limits.js';
import { toModelFailure } from './model-errors.js';
import { streamChatCompletion, type StreamedReply } from './stream-chat-completion.js';

export interface ModelDependencies {
  store: ContentStore;
  openai: OpenAI;
  defaultModel: string;
  idleTimeoutMs: number;
  toolSpecs(settings: SessionSettings): Promise<ChatCompletionTool[]>;
  /** Context windows by model name (ORCA_MODEL_CONTEXT_LIMITS); 128k when absent. */
  contextLimits?: ModelContextLimits;
  /** USD per million tokens by model name (ORCA_MODEL_PRICES); no cost when absent. */
  prices?: ModelPrices;
}

/** `openai/gpt-4.1` and `gpt-4.1` both name the model `gpt-4.1` at an OpenAI-compatible endpoint. */
export function modelName(model: string): string {
  return model.includes('/') ? model.slice(model.indexOf('/') + 1) : model;
}

/** Kept in heartbeat details, so a retried attempt reuses a summary instead of paying for another. */
interface AttemptProgress {
  chunks: number;
  characters: number;
  compaction?: { from: string; to: string; usage: Usage };
}

export function createInvokeModel(deps: ModelDependencies) {
  // A session's tool specs (its skills included) are fixed for the session: built once per settings, not per step.
  const specsBySettings = new Map<string, Promise<ChatCompletionTool[]>>();
  const specsOf = (ref: string, settings: SessionSettings): Promise<ChatCompletionTool[]> => {
    let specs = specsBySettings.get(ref);
    if (!specs) {
      if (specsBySettings.size >= 1_000) specsBySettings.delete(specsBySettings.keys().next().value as string);
      specs = deps.toolSpecs(settings);
      specs.catch(() => specsBySettings.delete(ref));
      specsBySettings.set(ref, specs);
    }
    return specs;
  };

  return async function invokeModel(input: InvokeModelInput): Promise<InvokeModelResult> {
    const { store } = deps;
    const settingsRef = typeof input.settings === 'string' ? input.settings : await store.put(input.settings);
    const settings = typeof input.settings === 'string' ? await store.get<SessionSettings>(settingsRef) : input.settings;
    const appended = await Promise.all(input.append.map((message) => ('ref' in message ? message.ref : store.put(message))));
    let head = await appendMessages(store, input.conversation, appended);
    let conversation = await readConversation(store, head);
    const tools = input.toolsDisabled ? [] : await specsOf(settingsRef, settings);
    const configuredModel = settings.model ?? deps.defaultModel;
    const model = modelName(configuredModel);
    const price = lookupModel(deps.prices, configuredModel);

    const context = Context.current();
    const previous = context.info.heartbeatDetails as AttemptProgress | undefined;
    let progress: AttemptProgress = { chunks: 0, characters: 0 };
    // Heartbeats say the worker is alive (a crash is noticed within the heartbeat timeout) even
    // while the model thinks; a model that stops sending is caught by the idle timeout instead.
    const alive = setInterval(() => context.heartbeat(progress), 2_000);
    let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
    const call = async (messages: ChatMessage[], offered: ChatCompletionTool[]): Promise<StreamedReply> => {
      const reply = await streamChatCompletion(
        deps.openai,
        {
          model,
          messages,
          ...(offered.length > 0 ? { tools: offered, parallel_tool_calls: true } : {}),
          ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
          ...(settings.topP !== undefined ? { top_p: settings.topP } : {}),
        },
        {
          signal: context.cancellationSignal,
          idleTimeoutMs: deps.idleTimeoutMs,
          onProgress: (latest) => (progress = { ...progress, ...latest }),
        },
      );
      usage = addUsage(usage, price ? { ...reply.usage, costUsd: costUsd(reply.usage, price) } : reply.usage);
      return reply;
    };

    let compacted = false;
    const compact = async (): Promise<boolean> => {
      const from = head;
      const done = await compactConversation(store, conversation, async (messages) => {
        const reply = await call(messages, []);
        if (!reply.text.trim()) throw ApplicationFailure.retryable('The model returned an empty summary of the conversation.', 'ModelEmptySummary');
        return reply.text;
      });
      if (!done) return false;
      [head, conversation, compacted] = [done.head, await readConversation(store, done.head), true];
      progress = { ...progress, compaction: { from, to: head, usage } };
      context.heartbeat(progress);
      return true;
    };

    let reply: StreamedReply;
    try {
      if (previous?.compaction?.from === head) {
        // An earlier attempt already summarised this very conversation.
        [head, compacted, usage] = [previous.compaction.to, true, previous.compaction.usage];
        conversation = await readConversation(store, head);
        progress = { ...progress, compaction: previous.compaction };
      } else if (estimateTokens(conversation, JSON.stringify(tools).length) >= compactionThreshold(lookupModel(deps.contextLimits, configuredModel))) {
        await compact();
      }
      try {
        reply = await call(conversation.messages, tools);
      } catch (error) {
        // The estimate was too low: summarise now and try once more.
        if (compacted || toModelFailure(error, deps.openai.baseURL, model).type !== 'ContextOverflow' || !(await compact())) throw error;
        reply = await call(conversation.messages, tools);
      }
    } catch (error) {
      throw toModelFailure(error, deps.openai.baseURL, model, [deps.openai.apiKey ?? '']);
    } finally {
      clearInterval(alive);
    }
    // The reply's usage counts the whole conversation, which tells the next step how close it is to the limit.
    const tokens = reply.usage.inputTokens > 0 ? reply.usage.inputTokens + reply.usage.outputTokens : undefined;
    const next = await appendMessages(store, head, [await store.put(reply.message)], { tokens });
    return {
      settings: settingsRef,
      conversation: next,
      model,
      text: reply.text,
      toolCalls: reply.toolCalls,
      usage,
      ...(compacted ? { compacted } : {}),
    };
  };
}
