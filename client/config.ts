import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../worker/task-queue.js';
import type { OnAsk } from '../workflows/session-types.js';
import { UsageError } from './exit-codes.js';

export const CONFIG_FILE = path.join('.orca', 'config.json');

const Text = z.string({ error: 'expected a non-empty string' }).trim().min(1, { error: 'expected a non-empty string' });
const OnAskChoice = z.enum(['wait', 'deny', 'fail'], { error: 'expected "wait", "deny" or "fail"' });
const Address = Text.regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/, { error: 'expected host:port, e.g. temporal.example.com:7233' });
const WebUiUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:8233' }).transform((url) => url.replace(/\/+$/, ''));
const StepCount = z.int({ error: 'expected a positive whole number' }).positive({ error: 'expected a positive whole number' });

/** Every setting with its environment variable and flag; precedence is flag > environment > file > default. */
const SETTINGS = {
  agent: { env: 'ORCA_AGENT', flag: '--agent', schema: Text, fromText: Text },
  model: { env: 'ORCA_MODEL', flag: '--model', schema: Text, fromText: Text },
  maxSteps: { env: 'ORCA_MAX_STEPS', flag: '--max-steps', schema: StepCount, fromText: z.coerce.number({ error: 'expected a positive whole number' }).pipe(StepCount) },
  onAsk: { env: 'ORCA_ON_ASK', flag: '--on-ask', schema: OnAskChoice, fromText: OnAskChoice },
  taskQueue: { env: 'ORCA_TASK_QUEUE', flag: '--task-queue', schema: Text, fromText: Text },
  modelTaskQueue: { env: 'ORCA_MODEL_TASK_QUEUE', flag: '--model-task-queue', schema: Text, fromText: Text },
  toolsTaskQueue: { env: 'ORCA_TOOLS_TASK_QUEUE', flag: '--tools-task-queue', schema: Text, fromText: Text },
  temporalAddress: { env: 'TEMPORAL_ADDRESS', flag: '--address', schema: Address, fromText: Address },
  namespace: { env: 'TEMPORAL_NAMESPACE', flag: '--namespace', schema: Text, fromText: Text },
  webUiUrl: { env: 'ORCA_WEB_UI_URL', flag: '--web-ui-url', schema: WebUiUrl, fromText: WebUiUrl },
  workspace: { env: 'ORCA_WORKSPACE', flag: '--workspace', schema: Text, fromText: Text },
} as const;

type SettingName = keyof typeof SETTINGS;

/** `.orca/config.json`: every field optional, unknown fields refused (a typo should not be ignored silently). */
export const ConfigFile = z.strictObject({
  $schema: z.string().optional(),
  agent: SETTINGS.agent.schema.optional().describe('agent of `orca run` / `orca start` (default build)'),
  model: SETTINGS.model.schema.optional().describe('model for agents that name none, e.g. gpt-4.1'),
  maxSteps: SETTINGS.maxSteps.schema.optional().describe("overrides the agent's step limit"),
  onAsk: SETTINGS.onAsk.schema.optional().describe('when a tool call needs approval: wait, deny or fail (default wait; deny when CI is set)'),
  taskQueue: SETTINGS.taskQueue.schema.optional().describe('Temporal task queue of sessions and workers (default orca)'),
  modelTaskQueue: SETTINGS.modelTaskQueue.schema.optional().describe('task queue of model calls, served by `orca worker --role model` (default: the session queue)'),
  toolsTaskQueue: SETTINGS.toolsTaskQueue.schema.optional().describe('task queue of tool calls, served by `orca worker --role tools` where the workspace is (default: the session queue)'),
  temporalAddress: SETTINGS.temporalAddress.schema.optional().describe('host:port of a Temporal server; the embedded dev server when unset'),
  namespace: SETTINGS.namespace.schema.optional().describe('Temporal namespace (default default)'),
  webUiUrl: SETTINGS.webUiUrl.schema.optional().describe('base URL of the Temporal Web UI, for the links Orca prints'),
  workspace: SETTINGS.workspace.schema.optional().describe('directory the tools work in, relative to the project (the directory holding .orca/)'),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

export type ConfigFlags = { [Name in SettingName]?: unknown };

export interface OrcaConfig {
  agent: string;
  model?: string;
  maxSteps?: number;
  onAsk: OnAsk;
  taskQueue: string;
  /** Separate task queues for model and tool calls; unset, they run on `taskQueue`. */
  modelTaskQueue?: string;
  toolsTaskQueue?: string;
  /** Unset: the embedded dev server. */
  temporalAddress?: string;
  namespace: string;
  webUiUrl?: string;
  /** Absolute path of the directory the tools work in. */
  workspace: string;
  /** The directory holding `.orca/` (or the working directory when there is no config file). */
  projectDir: string;
  /** The config file that was read, if any. */
  configFile?: string;
}

export class ConfigError extends UsageError {
  override readonly name = 'ConfigError';
  constructor(readonly source: string, readonly field: string | undefined, problem: string) {
    super(`${source}${field ? `: "${field}"` : ''}: ${problem}`);
  }
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** `.orca/config.json` in the working directory or the nearest parent, not above the repository root. */
export function findConfigFile(cwd: string): string | undefined {
  let directory = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(directory, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory || existsSync(path.join(directory, '.git'))) return undefined;
    directory = parent;
  }
}

export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, undefined, `is not valid JSON: ${(error as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ConfigError(file, undefined, 'must hold a JSON object, e.g. { "agent": "build" }');
  const parsed = ConfigFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(ConfigFile.shape).filter((key) => key !== '$schema').join(', ');
      throw new ConfigError(file, issue.keys[0], `unknown field (known fields: ${known})`);
    }
    throw new ConfigError(file, issue.path.join('.') || undefined, issue.message);
  }
  return parsed.data;
}

function parseEnvironment(env: NodeJS.ProcessEnv): Partial<Record<SettingName, unknown>> {
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const raw = env[setting.env];
    // An unset CI secret arrives as an empty string: treat it as not set.
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = setting.fromText.safeParse(raw);
    if (!parsed.success) throw new ConfigError(`environment variable ${setting.env}`, undefined, `${parsed.error.issues[0]!.message} (got "${raw}")`);
    values[name] = parsed.data;
  }
  return values;
}

function parseFlags(flags: ConfigFlags): Partial<Record<SettingName, unknown>> {
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const raw = flags[name];
    if (raw === undefined) continue;
    const parsed = (typeof raw === 'string' ? setting.fromText : setting.schema).safeParse(raw);
    if (!parsed.success) throw new ConfigError(`option ${setting.flag}`, undefined, `${parsed.error.issues[0]!.message} (got "${String(raw)}")`);
    values[name] = parsed.data;
  }
  return values;
}

export interface LoadConfigOptions {
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Flags, then environment, then `.orca/config.json` (or the file ORCA_CONFIG names), then defaults. */
export function loadConfig(options: LoadConfigOptions = {}): OrcaConfig {
  const env = options.env ?? process.env;
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const named = env.ORCA_CONFIG?.trim();
  if (named && !existsSync(path.resolve(cwd, named))) throw new ConfigError('environment variable ORCA_CONFIG', undefined, `no such file: ${path.resolve(cwd, named)}`);
  const configFile = named ? path.resolve(cwd, named) : findConfigFile(cwd);
  const file = configFile ? readConfigFile(configFile) : {};
  // The project is the directory that holds `.orca/`; a file named by ORCA_CONFIG elsewhere has its own directory.
  const projectDir = configFile
    ? path.basename(path.dirname(configFile)) === '.orca' ? path.dirname(path.dirname(configFile)) : path.dirname(configFile)
    : cwd;
  const fromEnv = parseEnvironment(env);
  const fromFlags = parseFlags(options.flags ?? {});
  const pick = <Name extends SettingName>(name: Name) => (fromFlags[name] ?? fromEnv[name] ?? file[name]) as ConfigFile[Name];

  // Relative workspaces are relative to where they were written: the file's project, or the working directory.
  const workspaceFromFile = fromFlags.workspace === undefined && fromEnv.workspace === undefined && file.workspace !== undefined;
  const workspace = path.resolve(workspaceFromFile ? projectDir : cwd, pick('workspace') ?? '.');
  return {
    agent: pick('agent') ?? 'build',
    model: pick('model'),
    maxSteps: pick('maxSteps'),
    onAsk: pick('onAsk') ?? (isCi(env) ? 'deny' : 'wait'),
    taskQueue: pick('taskQueue') ?? DEFAULT_TASK_QUEUE,
    modelTaskQueue: pick('modelTaskQueue'),
    toolsTaskQueue: pick('toolsTaskQueue'),
    temporalAddress: pick('temporalAddress'),
    namespace: pick('namespace') ?? 'default',
    webUiUrl: pick('webUiUrl'),
    workspace,
    projectDir,
    configFile,
  };
}
