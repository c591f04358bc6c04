#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TASK_QUEUE } from '../worker/task-queue.js';
import { answerApproval } from './approval-commands.js';
import { devCommand } from './dev-command.js';
import { runCommand } from './run-command.js';
import { workerCommand } from './worker-command.js';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return number;
}

const taskQueueOption = () =>
  new Option('--task-queue <name>', 'Temporal task queue').env('ORCA_TASK_QUEUE').default(DEFAULT_TASK_QUEUE);

const program = new Command('orca')
  .description('Teams of AI agents as durable Temporal workflows. Without TEMPORAL_ADDRESS, Orca runs an embedded Temporal dev server.')
  .showHelpAfterError();

program
  .command('run')
  .description('start a session, follow it, and print its answer')
  .argument('<prompt>', 'what the agent should do')
  .option('-a, --agent <name>', 'agent to run', 'build')
  .addOption(new Option('-m, --model <model>', 'model for agents that name none (e.g. gpt-4.1 or openai/gpt-4.1)').env('ORCA_MODEL'))
  .option('--max-steps <n>', 'stop after this many model calls', positiveInteger)
  .addOption(
    new Option('--on-ask <policy>', 'when a tool call needs approval: wait for `orca approve`, deny it, or fail the session')
      .choices(['wait', 'deny', 'fail'])
      .default(process.env.CI ? 'deny' : 'wait', process.env.CI ? 'deny in CI' : 'wait'),
  )
  .option('--id <workflow-id>', 'session id; a re-run with the same id attaches to that session')
  .option('--json', 'print the result as JSON', false)
  .option('-w, --workspace <dir>', 'directory the tools work in', process.cwd())
  .option('--worker', 'run a worker in this process even with TEMPORAL_ADDRESS')
  .addOption(taskQueueOption())
  .action(async (prompt: string, options) => {
    process.exitCode = await runCommand(prompt, options);
  });

program
  .command('worker')
  .description('run a worker against TEMPORAL_ADDRESS (start several to scale out)')
  .addOption(taskQueueOption())
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
  .addOption(taskQueueOption())
  .action(async (id: string, options) => {
    process.exitCode = await answerApproval({ id, reply: options.always ? 'always' : 'once' }, options.taskQueue);
  });

program
  .command('deny')
  .description('refuse a tool call a session is waiting on')
  .argument('<approval-id>', 'e.g. orca-build-1a2b3c4d:1')
  .option('--message <text>', 'tell the agent what to do instead')
  .addOption(taskQueueOption())
  .action(async (id: string, options) => {
    process.exitCode = await answerApproval({ id, reply: 'reject', message: options.message }, options.taskQueue);
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`orca: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
