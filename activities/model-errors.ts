import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIError } from 'openai';

const CONTEXT_OVERFLOW = /context[_ ]length|maximum context|too many tokens|context window/i;

/** Seconds or milliseconds to wait, as the endpoint asked (retry-after-ms, then retry-after). */
export function retryDelayFromHeaders(headers: Headers | undefined, now = Date.now()): number | undefined {
  const milliseconds = Number(headers?.get('retry-after-ms'));
  if (headers?.get('retry-after-ms') && Number.isFinite(milliseconds)) return Math.max(0, milliseconds);
  const retryAfter = headers?.get('retry-after');
  if (!retryAfter) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Some endpoints and proxies quote the key they were sent in their errors; failure messages land in workflow history. */
function redact(text: string, secrets: string[]): string {
  return secrets.reduce((redacted, secret) => (secret ? redacted.replaceAll(secret, '[redacted]') : redacted), text);
}

/**
 * Temporal's retry policy owns retries (the SDK's are off), so each failure is classified here:
 * rate limits, server errors and dropped connections are retried; requests the endpoint rejects are not.
 * `secrets` (the API key) are removed from every message.
 */
export function toModelFailure(error: unknown, endpoint: string, model: string, secrets: string[] = []): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    const detail = `${endpoint} answered ${status} for model "${model}": ${redact(error.message, secrets)}`;
    if (status === 429 || status === 408 || status === 409 || status >= 500) {
      return ApplicationFailure.create({
        type: status === 429 ? 'ModelRateLimited' : 'ModelUnavailable',
        message: detail,
        nextRetryDelay: retryDelayFromHeaders(error.headers),
      });
    }
    if (CONTEXT_OVERFLOW.test(error.message)) {
      return ApplicationFailure.nonRetryable(`${detail} (the conversation exceeds the model's context window)`, 'ContextOverflow');
    }
    const hint = status === 401 || status === 403 ? ' Check OPENAI_API_KEY.' : status === 404 ? ' Check the model name and OPENAI_BASE_URL.' : '';
    return ApplicationFailure.nonRetryable(detail + hint, 'ModelRequestRejected');
  }
  if (error instanceof APIConnectionError) {
    return ApplicationFailure.retryable(`Could not reach ${endpoint} for model "${model}": ${redact(error.message, secrets)}`, 'ModelUnavailable');
  }
  const message = redact(error instanceof Error ? error.message : String(error), secrets);
  return ApplicationFailure.retryable(`Model call to ${endpoint} failed for model "${model}": ${message}`, 'ModelUnavailable');
}
