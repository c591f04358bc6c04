import { type Command, InvalidArgumentError, Option } from 'commander';
import { cancelCommand } from './cancel-command.js';
import { parseDuration } from './duration.js';
import { LIST_STATUSES } from './list-command.js';
import { listCommand } from './list-command.js';
import { logsCommand } from './logs-command.js';
import { resultCommand } from './result-command.js';
import { runCommand } from './run-command.js';
import { sendCommand } from './send-command.js';
import { startCommand } from './start-command.js';
import { statusCommand } from './status-command.js';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return number;
}

const EXIT_CODES_HELP = `
Exit codes: 0 completed · 1 failed (or could not be done) · 2 bad usage or configuration ·
3 cancelled · 4 waiting for approval (or failed for want of it, --on-ask fail) · 5 timed out / still running.`;

/** Where the server is: flags over TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / ORCA_WEB_UI_URL over .orca/config.json. */
function withConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--address <host:port>', 'Temporal frontend [env TEMPORAL_ADDRESS, config temporalAddress; default: the embedded dev server]'))
    .addOption(new Option('--namespace <name>', 'Temporal namespace [env TEMPORAL_NAMESPACE; default "default"]'))
    .addOption(new Option('--web-ui-url <url>', 'Web UI base URL for the links printed [env ORCA_WEB_UI_URL; default http://localhost:8233]'));
}

function withSessionOptions(command: Command): Command {
  return withConnectionOptions(
    command
      .argument('<prompt>', 'what the agent should do; - reads it from standard input')
      .option('-a, --agent <name>', 'agent to run [env ORCA_AGENT, config agent; default build]')
      .option('-m, --model <model>', 'model for agents that name none, e.g. gpt-4.1 [env ORCA_MODEL, config model]')
      .option('--max-steps <n>', "stop after this many model calls [env ORCA_MAX_STEPS, config maxSteps; default: the agent's]", positiveInteger)
      .addOption(
        new Option('--on-ask <policy>', 'when a tool call needs approval: wait for `orca approve`, deny it, or fail the session [env ORCA_ON_ASK, config onAsk; default wait, deny when CI is set]')
          .choices(['wait', 'deny', 'fail']),
      )
      .option('--id <session-id>', 'session (workflow) id; a re-run with the same id attaches to the running session, or reports the completed one')
      .option('--ci-run-id <id>', 'CI run to tag the session with (OrcaCiRunId) [default: ORCA_CI_RUN_ID, GITHUB_RUN_ID, CI_PIPELINE_ID, BUILDKITE_BUILD_ID, CIRCLE_WORKFLOW_ID, BUILD_BUILDID, BUILD_ID]')
      .option('-w, --workspace <dir>', 'directory the tools work in, as the worker sees it [env ORCA_WORKSPACE, config workspace; default: the working directory]')
      .option('--task-queue <name>', 'Temporal task queue [env ORCA_TASK_QUEUE, config taskQueue; default orca]')
      .option('--json', 'print one JSON object on stdout', false),
  );
}

/** run, start, status, result, logs, cancel, list: the commands a CI job and a person use to drive and inspect sessions. */
export function registerSessionCommands(program: Command): void {
  withSessionOptions(program.command('run').description('start a session (or attach to --id), print its progress, wait, and print its answer'))
    .option('--worker', 'run a worker in this process even with TEMPORAL_ADDRESS')
    .option('--timeout <duration>', 'stop waiting after this long (90, 90s, 15m, 1h30m) and exit 5; the session keeps running', parseDuration)
    .option('-q, --quiet', 'do not print progress')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (prompt: string, options) => {
      process.exitCode = await runCommand(prompt, options);
    });

  withSessionOptions(program.command('start').description('start a session and return at once: prints its id and Web UI link (needs a running server: TEMPORAL_ADDRESS or `orca dev`)'))
    .action(async (prompt: string, options) => {
      process.exitCode = await startCommand(prompt, options);
    });

  withConnectionOptions(program.command('status').description("a session's state: step, tokens, approvals waiting, child tasks, or how it ended"))
    .argument('<session-id>', 'e.g. orca-build-1a2b3c4d')
    .option('--json', 'print JSON', false)
    .action(async (id: string, options) => {
      process.exitCode = await statusCommand(id, options);
    });

  withConnectionOptions(program.command('result').description("a session's answer; without --wait, exits 4 or 5 at once when it has none yet"))
    .argument('<session-id>', 'e.g. orca-build-1a2b3c4d')
    .option('--wait', 'wait for the session to end, printing its progress')
    .option('--timeout <duration>', 'with --wait: stop waiting after this long and exit 5', parseDuration)
    .option('--json', 'print one JSON object on stdout', false)
    .option('-q, --quiet', 'do not print progress')
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (id: string, options) => {
      process.exitCode = await resultCommand(id, options);
    });

  withConnectionOptions(program.command('logs').description('what a session did: model steps, tool calls with their summaries, child sessions, approvals'))
    .argument('<session-id>', 'e.g. orca-build-1a2b3c4d')
    .option('-f, --follow', 'keep printing until the session ends, then exit with its outcome (like `orca result`)')
    .action(async (id: string, options) => {
      process.exitCode = await logsCommand(id, options);
    });

  withConnectionOptions(program.command('send').description('a follow-up prompt: a running session answers it in the same conversation; a completed one continues in a new run'))
    .argument('<session-id>', 'e.g. orca-build-1a2b3c4d')
    .argument('<prompt>', 'the follow-up; - reads it from standard input')
    .option('--worker', 'run a worker in this process even with TEMPORAL_ADDRESS')
    .option('--json', 'print one JSON object on stdout', false)
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (id: string, prompt: string, options) => {
      process.exitCode = await sendCommand(id, prompt, options);
    });

  withConnectionOptions(program.command('cancel').description('cancel a running session (its tool calls and child sessions too)'))
    .argument('<session-id>', 'e.g. orca-build-1a2b3c4d')
    .option('--wait', 'wait until it has stopped')
    .action(async (id: string, options) => {
      process.exitCode = await cancelCommand(id, options);
    });

  withConnectionOptions(program.command('list').description('recent sessions, newest first, from the server\'s visibility store'))
    .option('-a, --agent <name>', 'only sessions of this agent (OrcaAgent)')
    .option('--ci-run-id <id>', 'only sessions started by this CI run (OrcaCiRunId)')
    .addOption(new Option('--status <status>', 'only sessions in this state').choices(Object.keys(LIST_STATUSES)))
    .option('--root <session-id>', 'only this session and the sessions it delegated to (OrcaRootSession)')
    .option('-n, --limit <n>', 'at most this many', positiveInteger, 20)
    .option('--json', 'print a JSON array', false)
    .action(async (options) => {
      process.exitCode = await listCommand(options);
    });
}
