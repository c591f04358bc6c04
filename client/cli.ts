#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { listAgentsCommand, showAgentCommand } from './agents-command.js';
import { answerApproval, DEFAULT_ANSWER_TIMEOUT_SECONDS } from './approval-commands.js';
import { codecServerCommand } from './codec-server-command.js';
import { devCommand } from './dev-command.js';
import { EXIT, exitCodeForError } from './exit-codes.js';
import { registerSessionCommands } from './session-commands.js';
import { workerCommand } from './worker-command.js';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return number;
}

const taskQueueOption = () =>
  new Option('--task-queue <name>', 'Temporal task queue [env ORCA_TASK_QUEUE, config taskQueue; default orca]');

const answerTimeoutOption = () =>
  new Option('--timeout <seconds>', 'give up when no worker takes the answer within this time')
    .argParser(positiveInteger)
    .default(DEFAULT_ANSWER_TIMEOUT_SECONDS);

const program = new Command('orca')
  .description('Teams of AI agents as durable Temporal workflows. Without TEMPORAL_ADDRESS, Orca runs an embedded Temporal dev server.')
  .showHelpAfterError()
  // Bad flags and arguments exit 2 (commander's own default is 1, which means "failed" here); set before the commands so they inherit it.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));

registerSessionCommands(program);

program
  .command('worker')
  .description('run a worker against TEMPORAL_ADDRESS (start several to scale out)')
  .addOption(taskQueueOption())
  .addOption(
    new Option('--role <role>', 'what to run: everything, only sessions, only model calls (ORCA_MODEL_TASK_QUEUE), or only tool calls (ORCA_TOOLS_TASK_QUEUE) where the workspace is')
      .choices(['all', 'workflows', 'model', 'tools'])
      .default('all'),
  )
  .action(async (options) => {
    process.exitCode = await workerCommand(options);
  });

program
  .command('dev')
  .description('keep the embedded Temporal dev server (Web UI on :8233) and a worker running')
  .addOption(taskQueueOption())
  .action(async (options) => {
    process.exitCode = await devCommand(options);
  });

program
  .command('approve')
  .description('allow a tool call a session is waiting on')
  .argument('<approval-id>', 'e.g. orca-build-1a2b3c4d:1')
  .option('--always', 'also allow matching calls for the rest of the session', false)
  .addOption(answerTimeoutOption())
  .addOption(taskQueueOption())
  .action(async (id: string, options) => {
    process.exitCode = await answerApproval({ id, reply: options.always ? 'always' : 'once' }, options.taskQueue, options.timeout);
  });

program
  .command('deny')
  .description('refuse a tool call a session is waiting on')
  .argument('<approval-id>', 'e.g. orca-build-1a2b3c4d:1')
  .option('--message <text>', 'tell the agent what to do instead')
  .addOption(answerTimeoutOption())
  .addOption(taskQueueOption())
  .action(async (id: string, options) => {
    process.exitCode = await answerApproval({ id, reply: 'reject', message: options.message }, options.taskQueue, options.timeout);
  });

program
  .command('codec-server')
  .description('serve Temporal\'s remote codec protocol so the Web UI shows decrypted payloads and resolved content references')
  .option('--port <port>', 'port to listen on', (value) => Number(value), 8888)
  .option('--origin <url...>', 'Web UI origins allowed to call it', ['http://localhost:8233'])
  .option('--store <dir>', 'content store to resolve references from [env ORCA_STORE_DIR; default .orca/store]')
  .action(async (options) => {
    process.exitCode = await codecServerCommand(options);
  });

const agents = program
  .command('agents')
  .description('list the agents sessions can use: built-ins and Markdown agents of the workspace and ~/.config/orca/agents')
  .option('-w, --workspace <dir>', 'project whose agents to load', process.cwd())
  .option('--all', 'also list hidden agents', false)
  .option('--json', 'print JSON: { agents, errors }', false)
  .action(async (options) => {
    process.exitCode = await listAgentsCommand(options);
  });

agents
  .command('show')
  .description('print one agent: its fields, its permission rules in evaluation order, and its prompt')
  .argument('<name>', 'agent name, e.g. build or review/sec')
  .option('-w, --workspace <dir>', 'project whose agents to load')
  .option('--json', 'print the agent as JSON', false)
  .action(async (name: string, options, command: Command) => {
    const { workspace, json } = command.optsWithGlobals<{ workspace: string; json: boolean }>();
    process.exitCode = await showAgentCommand(name, { workspace: options.workspace ?? workspace, json: options.json || json });
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`orca: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(exitCodeForError(error));
});
