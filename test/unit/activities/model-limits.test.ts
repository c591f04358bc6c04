import { describe, expect, test } from 'vitest';
import { workerSettingsFromEnvironment } from '../../../worker/worker-settings.js';
import { addUsage, compactionThreshold, costUsd, lookupModel, ModelContextLimits, ModelPrices, parseModelTable } from '../../../activities/model-limits.js';

describe('parseModelTable', () => {
  test('reads prices and context limits from JSON', () => {
    expect(parseModelTable('ORCA_MODEL_PRICES', '{"gpt-4.1": {"input": 2, "output": 8, "cachedInput": 0.5}}', ModelPrices))
      .toEqual({ 'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 } });
    expect(parseModelTable('ORCA_MODEL_CONTEXT_LIMITS', '{"a": 8000, "b": {"context": 200000, "output": 64000}}', ModelContextLimits))
      .toEqual({ a: 8000, b: { context: 200000, output: 64000 } });
  });

  test.each([undefined, '', '  '])('is undefined when unset (%j)', (text) => {
    expect(parseModelTable('ORCA_MODEL_PRICES', text, ModelPrices)).toBeUndefined();
  });

  test('names the variable when the JSON does not parse', () => {
    expect(() => parseModelTable('ORCA_MODEL_PRICES', '{gpt: 1}', ModelPrices)).toThrow(/^ORCA_MODEL_PRICES is not valid JSON .*expected e\.g\. \{"gpt-4\.1"/);
  });

  test('names the variable, the model and the field that is wrong', () => {
    expect(() => parseModelTable('ORCA_MODEL_PRICES', '{"gpt-4.1": {"input": "2", "output": 8}}', ModelPrices))
      .toThrow(/^ORCA_MODEL_PRICES is invalid: gpt-4\.1\.input: .*number/);
    expect(() => parseModelTable('ORCA_MODEL_CONTEXT_LIMITS', '{"gpt-4.1": -5}', ModelContextLimits)).toThrow(/ORCA_MODEL_CONTEXT_LIMITS is invalid: gpt-4\.1/);
  });
});

describe('lookupModel', () => {
  const table = { 'gpt-4.1': 1, 'azure/gpt-4o': 2 };
  test.each([
    ['gpt-4.1', 1],
    ['openai/gpt-4.1', 1],
    ['azure/gpt-4o', 2],
    ['gpt-4o', undefined],
    ['toString', undefined],
  ])('%s → %s', (model, expected) => {
    expect(lookupModel(table, model)).toBe(expected);
  });
});

describe('compactionThreshold', () => {
  test.each([
    [undefined, 108_000],
    [128_000, 108_000],
    [{ context: 200_000, output: 8_000 }, 192_000],
    [{ context: 1_000_000, output: 32_000 }, 980_000],
    // The reserve never takes more than a quarter of a small window.
    [8_000, 6_000],
    [{ context: 4_000, output: 500 }, 3_500],
  ])('%j → %i', (limit, expected) => {
    expect(compactionThreshold(limit)).toBe(expected);
  });
});

describe('costUsd', () => {
  const price = { input: 2, output: 8, cachedInput: 0.5 };
  test('bills cached input tokens at the cached price, the rest at the input price', () => {
    expect(costUsd({ inputTokens: 1_000_000, outputTokens: 500_000, cachedTokens: 400_000 }, price)).toBeCloseTo(0.6 * 2 + 0.4 * 0.5 + 0.5 * 8);
  });
  test('without a cached price, cached tokens cost as much as input', () => {
    expect(costUsd({ inputTokens: 1000, outputTokens: 0, cachedTokens: 1000 }, { input: 3, output: 15 })).toBeCloseTo(0.003);
  });
});

describe('addUsage', () => {
  test('adds cost only when one side has it', () => {
    expect(addUsage({ inputTokens: 1, outputTokens: 2, cachedTokens: 0 }, { inputTokens: 3, outputTokens: 4, cachedTokens: 1 }))
      .toEqual({ inputTokens: 4, outputTokens: 6, cachedTokens: 1 });
    expect(addUsage({ inputTokens: 1, outputTokens: 2, cachedTokens: 0, costUsd: 0.5 }, { inputTokens: 0, outputTokens: 0, cachedTokens: 0 }))
      .toMatchObject({ costUsd: 0.5 });
  });
});

describe('worker settings from the environment', () => {
  test('read ORCA_MODEL_PRICES and ORCA_MODEL_CONTEXT_LIMITS', () => {
    const settings = workerSettingsFromEnvironment({
      ORCA_MODEL_PRICES: '{"gpt-4.1": {"input": 2, "output": 8}}',
      ORCA_MODEL_CONTEXT_LIMITS: '{"gpt-4.1": 1047576}',
    }, '/tmp');
    expect(settings.model).toMatchObject({ prices: { 'gpt-4.1': { input: 2, output: 8 } }, contextLimits: { 'gpt-4.1': 1047576 } });
  });

  test('refuse a malformed table, naming the variable', () => {
    expect(() => workerSettingsFromEnvironment({ ORCA_MODEL_CONTEXT_LIMITS: '{"gpt-4.1": "big"}' }, '/tmp')).toThrow(/^ORCA_MODEL_CONTEXT_LIMITS is invalid: gpt-4\.1/);
  });
});
