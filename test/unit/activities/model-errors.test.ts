import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIError } from 'openai';
import { describe, expect, test } from 'vitest';
import { retryDelayFromHeaders, toModelFailure } from '../../../activities/model-errors.js';

const endpoint = 'https://models.example/v1';

function apiError(status: number, message: string, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error: { message } }, undefined, new Headers(headers));
}

describe('retryDelayFromHeaders', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  test.each([
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': '1' }, 1000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }, 3000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s ms', (headers, expected) => {
    expect(retryDelayFromHeaders(new Headers(headers), now)).toBe(expected);
  });
});

describe('toModelFailure', () => {
  test.each([
    [429, 'ModelRateLimited'],
    [408, 'ModelUnavailable'],
    [500, 'ModelUnavailable'],
    [503, 'ModelUnavailable'],
  ])('%i is retried (%s)', (status, type) => {
    const failure = toModelFailure(apiError(status, 'busy'), endpoint, 'gpt-4.1');
    expect(failure).toMatchObject({ type, nonRetryable: false });
    expect(failure.message).toContain(`${endpoint} answered ${status} for model "gpt-4.1"`);
  });

  test('a rate limit carries the delay the endpoint asked for', () => {
    expect(toModelFailure(apiError(429, 'slow down', { 'retry-after': '3' }), endpoint, 'm').nextRetryDelay).toBe(3000);
  });

  test.each([
    [400, /answered 400 for model "gpt-4\.1": .*bad request/, 'ModelRequestRejected'],
    [401, /answered 401 for model "gpt-4\.1".* Check OPENAI_API_KEY\.$/, 'ModelRequestRejected'],
    [403, /answered 403 .* Check OPENAI_API_KEY\.$/, 'ModelRequestRejected'],
    [404, /answered 404 .* Check the model name and OPENAI_BASE_URL\.$/, 'ModelRequestRejected'],
  ])('%i fails at once, naming endpoint, model and status', (status, message, type) => {
    const failure = toModelFailure(apiError(status, 'bad request'), endpoint, 'gpt-4.1');
    expect(failure).toMatchObject({ type, nonRetryable: true });
    expect(failure.message).toMatch(message);
    expect(failure.message).toContain(endpoint);
  });

  test('a context overflow is not retried and says so', () => {
    const failure = toModelFailure(apiError(400, "This model's maximum context length is 8192 tokens"), endpoint, 'm');
    expect(failure).toMatchObject({ type: 'ContextOverflow', nonRetryable: true });
  });

  test('a dropped connection is retried', () => {
    const failure = toModelFailure(new APIConnectionError({ message: 'Connection error.' }), endpoint, 'm');
    expect(failure).toMatchObject({ type: 'ModelUnavailable', nonRetryable: false });
    expect(failure.message).toContain(`Could not reach ${endpoint}`);
  });

  test('failures raised on purpose pass through', () => {
    const stalled = ApplicationFailure.retryable('silent', 'ModelStalled');
    expect(toModelFailure(stalled, endpoint, 'm')).toBe(stalled);
  });
});
