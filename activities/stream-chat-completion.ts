import { ApplicationFailure } from '@temporalio/common';
import type OpenAI from 'openai';
import type { ChatCompletionAssistantMessageParam, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ToolCall, Usage } from '../workflows/session-types.js';

export interface StreamedReply {
  message: ChatCompletionAssistantMessageParam;
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
}

export interface StreamOptions {
  signal: AbortSignal;
  /** A model that sends nothing for this long is treated as hung. */
  idleTimeoutMs: number;
  onProgress(progress: { chunks: number; characters: number }): void;
}

export async function streamChatCompletion(
  client: OpenAI,
  params: Omit<ChatCompletionCreateParamsStreaming, 'stream'>,
  options: StreamOptions,
): Promise<StreamedReply> {
  const idle = new AbortController();
  let idleTimer: NodeJS.Timeout | undefined;
  const resetIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(), options.idleTimeoutMs);
  };
  const signal = AbortSignal.any([options.signal, idle.signal]);
  resetIdleTimer();

  let text = '';
  const calls: ToolCall[] = [];
  const usage: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };
  let chunks = 0;
  let finished = false;
  const stalled = () =>
    ApplicationFailure.retryable(`The model sent nothing for ${options.idleTimeoutMs / 1000} s and was abandoned (after ${chunks} chunks).`, 'ModelStalled');
  let streaming = false;
  try {
    const stream = await client.chat.completions.create(
      { ...params, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    streaming = true;
    for await (const chunk of stream) {
      resetIdleTimer();
      chunks += 1;
      const delta = chunk.choices[0]?.delta;
      finished ||= Boolean(chunk.choices[0]?.finish_reason);
      text += delta?.content ?? '';
      for (const part of delta?.tool_calls ?? []) {
        const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
        call.id ||= part.id ?? '';
        call.name += part.function?.name ?? '';
        call.arguments += part.function?.arguments ?? '';
      }
      if (chunk.usage) {
        usage.inputTokens = chunk.usage.prompt_tokens;
        usage.outputTokens = chunk.usage.completion_tokens;
        usage.cachedTokens = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
      }
      options.onProgress({ chunks, characters: text.length + calls.reduce((sum, call) => sum + call.arguments.length, 0) });
    }
  } catch (error) {
    if (options.signal.aborted) throw error;
    if (idle.signal.aborted) throw stalled();
    if (streaming) {
      const reason = error instanceof Error ? error.message : String(error);
      throw ApplicationFailure.retryable(`The model's reply was cut off after ${chunks} chunks (${reason}).`, 'ModelStreamCut');
    }
    throw error;
  } finally {
    clearTimeout(idleTimer);
  }
  if (!finished) {
    // An abort once chunks flow ends the SDK's stream quietly instead of throwing.
    if (options.signal.aborted) throw options.signal.reason;
    if (idle.signal.aborted) throw stalled();
    throw ApplicationFailure.retryable(`The model's reply ended before it was finished (after ${chunks} chunks).`, 'ModelStreamCut');
  }

  const toolCalls = calls.filter(Boolean).map((call, index) => ({ ...call, id: call.id || `call_${index}` }));
  const message: ChatCompletionAssistantMessageParam = { role: 'assistant', content: text || null };
  if (toolCalls.length > 0) {
    message.tool_calls = toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  return { message, text, toolCalls, usage };
}
