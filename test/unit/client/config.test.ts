import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, findConfigFile, loadConfig } from '../../../client/config.js';
import { UsageError } from '../../../client/exit-codes.js';

let project: string;

beforeEach(async () => {
  project = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-config-')));
  // A repository root, so the search for `.orca/config.json` stops here.
  await mkdir(path.join(project, '.git'));
});
afterEach(() => rm(project, { recursive: true, force: true }));

async function writeConfig(content: unknown, directory = project): Promise<string> {
  await mkdir(path.join(directory, '.orca'), { recursive: true });
  const file = path.join(directory, '.orca', 'config.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('loadConfig precedence: flags > environment > .orca/config.json > defaults', () => {
  test('defaults without file, environment or flags', () => {
    expect(loadConfig({ cwd: project, env: {} })).toEqual({
      agent: 'build',
      model: undefined,
      maxSteps: undefined,
      onAsk: 'wait',
      taskQueue: 'orca',
      temporalAddress: undefined,
      namespace: 'default',
      webUiUrl: undefined,
      workspace: project,
      projectDir: project,
      configFile: undefined,
    });
  });

  test('CI makes deny the default for asks', () => {
    expect(loadConfig({ cwd: project, env: { CI: 'true' } }).onAsk).toBe('deny');
    expect(loadConfig({ cwd: project, env: { CI: 'false' } }).onAsk).toBe('wait');
  });

  const layers = {
    file: { agent: 'plan', model: 'file-model', maxSteps: 3, onAsk: 'fail', taskQueue: 'file-queue', temporalAddress: 'file:7233', namespace: 'file-ns', webUiUrl: 'http://file:8080/' },
    env: { ORCA_AGENT: 'explore', ORCA_MODEL: 'env-model', ORCA_MAX_STEPS: '7', ORCA_ON_ASK: 'deny', ORCA_TASK_QUEUE: 'env-queue', TEMPORAL_ADDRESS: 'env:7233', TEMPORAL_NAMESPACE: 'env-ns', ORCA_WEB_UI_URL: 'http://env:8080' },
    flags: { agent: 'general', model: 'flag-model', maxSteps: 9, onAsk: 'wait', taskQueue: 'flag-queue', temporalAddress: 'flag:7233', namespace: 'flag-ns', webUiUrl: 'http://flag:8080' },
  };

  test.each([
    ['file only', true, false, false, { agent: 'plan', model: 'file-model', maxSteps: 3, onAsk: 'fail', taskQueue: 'file-queue', temporalAddress: 'file:7233', namespace: 'file-ns', webUiUrl: 'http://file:8080' }],
    ['environment over file', true, true, false, { agent: 'explore', model: 'env-model', maxSteps: 7, onAsk: 'deny', taskQueue: 'env-queue', temporalAddress: 'env:7233', namespace: 'env-ns', webUiUrl: 'http://env:8080' }],
    ['flags over both', true, true, true, { agent: 'general', model: 'flag-model', maxSteps: 9, onAsk: 'wait', taskQueue: 'flag-queue', temporalAddress: 'flag:7233', namespace: 'flag-ns', webUiUrl: 'http://flag:8080' }],
    ['flags over defaults', false, false, true, { agent: 'general', model: 'flag-model', maxSteps: 9, onAsk: 'wait', taskQueue: 'flag-queue', temporalAddress: 'flag:7233', namespace: 'flag-ns', webUiUrl: 'http://flag:8080' }],
  ])('%s', async (_name, withFile, withEnv, withFlags, expected) => {
    if (withFile) await writeConfig(layers.file);
    const config = loadConfig({ cwd: project, env: withEnv ? layers.env : {}, flags: withFlags ? layers.flags : {} });
    expect(config).toMatchObject(expected);
  });

  test('layers mix field by field', async () => {
    await writeConfig({ agent: 'plan', taskQueue: 'file-queue', maxSteps: 3 });
    const config = loadConfig({ cwd: project, env: { ORCA_TASK_QUEUE: 'env-queue' }, flags: { maxSteps: 12 } });
    expect(config).toMatchObject({ agent: 'plan', taskQueue: 'env-queue', maxSteps: 12 });
  });

  test('an empty environment variable (an unset CI secret) counts as unset', async () => {
    await writeConfig({ temporalAddress: 'temporal.internal:7233' });
    expect(loadConfig({ cwd: project, env: { TEMPORAL_ADDRESS: '', ORCA_AGENT: '  ' } })).toMatchObject({ temporalAddress: 'temporal.internal:7233', agent: 'build' });
  });

  test('string flags (from the command line) are parsed like environment values', () => {
    expect(loadConfig({ cwd: project, env: {}, flags: { maxSteps: '4', onAsk: 'deny' } })).toMatchObject({ maxSteps: 4, onAsk: 'deny' });
  });
});

describe('finding the file and resolving paths', () => {
  test('the nearest .orca/config.json above the working directory, not above the repository root', async () => {
    const file = await writeConfig({ agent: 'plan' });
    const nested = path.join(project, 'packages', 'app');
    await mkdir(nested, { recursive: true });
    expect(findConfigFile(nested)).toBe(file);
    expect(loadConfig({ cwd: nested, env: {} })).toMatchObject({ agent: 'plan', projectDir: project, configFile: file, workspace: nested });

    const outside = path.join(project, 'sub-repo');
    await mkdir(path.join(outside, '.git'), { recursive: true });
    expect(findConfigFile(outside)).toBeUndefined();
  });

  test('a workspace in the file is relative to the project; one from a flag or the environment to the working directory', async () => {
    await writeConfig({ workspace: 'app' });
    const nested = path.join(project, 'docs');
    await mkdir(nested);
    expect(loadConfig({ cwd: nested, env: {} }).workspace).toBe(path.join(project, 'app'));
    expect(loadConfig({ cwd: nested, env: { ORCA_WORKSPACE: 'x' } }).workspace).toBe(path.join(nested, 'x'));
    expect(loadConfig({ cwd: nested, env: {}, flags: { workspace: '/workspace' } }).workspace).toBe('/workspace');
  });

  test('ORCA_CONFIG names the file to read', async () => {
    const file = path.join(project, 'ci-orca.json');
    await writeFile(file, JSON.stringify({ agent: 'plan' }));
    expect(loadConfig({ cwd: project, env: { ORCA_CONFIG: 'ci-orca.json' } })).toMatchObject({ agent: 'plan', configFile: file, projectDir: project });
    expect(() => loadConfig({ cwd: project, env: { ORCA_CONFIG: 'missing.json' } })).toThrow(`environment variable ORCA_CONFIG: no such file: ${path.join(project, 'missing.json')}`);
  });
});

describe('errors name the file, variable or flag, and the field', () => {
  const configFile = () => path.join(project, '.orca', 'config.json');

  test.each([
    [{ maxSteps: 'ten' }, '"maxSteps": expected a positive whole number'],
    [{ maxSteps: 0 }, '"maxSteps": expected a positive whole number'],
    [{ maxSteps: 2.5 }, '"maxSteps": expected a positive whole number'],
    [{ onAsk: 'later' }, '"onAsk": expected "wait", "deny" or "fail"'],
    [{ temporalAddress: 'http://temporal:7233' }, '"temporalAddress": expected host:port, e.g. temporal.example.com:7233'],
    [{ webUiUrl: 'localhost:8233' }, '"webUiUrl": expected an http(s) URL such as http://localhost:8233'],
    [{ agent: '' }, '"agent": expected a non-empty string'],
    [{ agent: 7 }, '"agent": expected a non-empty string'],
    [{ agnet: 'plan' }, '"agnet": unknown field (known fields: agent, model, maxSteps, onAsk, taskQueue, modelTaskQueue, toolsTaskQueue, temporalAddress, namespace, webUiUrl, workspace)'],
  ])('file %j', async (content, message) => {
    await writeConfig(content);
    expect(() => loadConfig({ cwd: project, env: {} })).toThrow(`${configFile()}: ${message}`);
  });

  test('a file that is not JSON, or not an object', async () => {
    await writeConfig('{ "agent": "plan", }');
    expect(() => loadConfig({ cwd: project, env: {} })).toThrow(new RegExp(`^${configFile().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not valid JSON: `));
    await writeConfig('["plan"]');
    expect(() => loadConfig({ cwd: project, env: {} })).toThrow(`${configFile()}: must hold a JSON object`);
  });

  test.each([
    [{ ORCA_MAX_STEPS: 'many' }, 'environment variable ORCA_MAX_STEPS: expected a positive whole number (got "many")'],
    [{ ORCA_ON_ASK: 'maybe' }, 'environment variable ORCA_ON_ASK: expected "wait", "deny" or "fail" (got "maybe")'],
    [{ TEMPORAL_ADDRESS: 'temporal' }, 'environment variable TEMPORAL_ADDRESS: expected host:port, e.g. temporal.example.com:7233 (got "temporal")'],
  ])('environment %j', (env, message) => {
    expect(() => loadConfig({ cwd: project, env })).toThrow(message);
  });

  test.each([
    [{ temporalAddress: 'nowhere' }, 'option --address: expected host:port'],
    [{ webUiUrl: 'ftp://ui' }, 'option --web-ui-url: expected an http(s) URL'],
    [{ maxSteps: -1 }, 'option --max-steps: expected a positive whole number (got "-1")'],
  ])('flags %j', (flags, message) => {
    expect(() => loadConfig({ cwd: project, env: {}, flags })).toThrow(message);
  });

  test('the errors are usage errors (exit code 2) that carry the source and field', async () => {
    await writeConfig({ onAsk: 'later' });
    const error = (() => {
      try {
        loadConfig({ cwd: project, env: {} });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ source: configFile(), field: 'onAsk' });
  });

  test('IPv6 and named hosts are addresses', () => {
    expect(loadConfig({ cwd: project, env: { TEMPORAL_ADDRESS: '[::1]:7233' } }).temporalAddress).toBe('[::1]:7233');
    expect(loadConfig({ cwd: project, env: { TEMPORAL_ADDRESS: 'temporal-frontend.temporal.svc:7233' } }).temporalAddress).toBe('temporal-frontend.temporal.svc:7233');
  });
});
