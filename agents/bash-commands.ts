import { parseBashCommands } from './bash-parser.js';

/**
 * Every command a bash line runs, each normalised to its words joined by single
 * spaces, so `a && b | c` is checked as `a`, `b` and `c`.
 */
export function splitBashCommands(command: string): string[] {
  return parseBashCommands(command).map((words) => words.join(' '));
}

// Commands whose second word is an operand (a file, a pattern), never a subcommand.
const commandsWithoutSubcommands = new Set([
  'cat', 'cd', 'chmod', 'chown', 'cp', 'curl', 'diff', 'du', 'echo', 'file', 'find', 'grep', 'head', 'kill', 'less',
  'ln', 'ls', 'mkdir', 'more', 'mv', 'printf', 'rg', 'rm', 'rmdir', 'sed', 'sort', 'stat', 'tail', 'tar', 'touch',
  'tree', 'uniq', 'wc', 'wget', 'which',
]);

/** What an "always allow" approval should cover: `git status --short` → `git status *`, `ls -la` → `ls *`. */
export function alwaysPatternFor(command: string): string {
  const [first, second] = parseBashCommands(command)[0] ?? [];
  if (first === undefined) return command.trim();
  const hasSubcommand = second !== undefined && /^[a-z][a-z0-9_-]*$/.test(second) && !commandsWithoutSubcommands.has(first);
  return `${hasSubcommand ? `${first} ${second}` : first} *`;
}

// Words that run the rest of the line as a command of its own.
const commandWrappers = new Set(['env', 'command', 'exec', 'nohup', 'sudo', 'doas', 'time', 'nice', 'xargs', 'builtin']);

/**
 * The command a sub-command really runs, without leading `NAME=value` assignments and wrappers:
 * `FOO=1 env git push` → `git push`, so a `git push *` deny cannot be stepped around.
 */
export function effectiveCommand(command: string): string {
  const words = command.split(' ');
  let start = 0;
  while (start < words.length - 1) {
    const word = words[start]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || commandWrappers.has(word)) start += 1;
    else if (start > 0 && word.startsWith('-') && commandWrappers.has(words[start - 1]!)) start += 1;
    else break;
  }
  return words.slice(start).join(' ');
}
