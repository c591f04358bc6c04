import { homedir } from 'node:os';
import path from 'node:path';
import { effectiveCommand } from '../../agents/bash-commands.js';

/** Commands whose operands are files or directories, as OpenCode checks them. */
const PATH_COMMANDS = new Set([
  'cat', 'head', 'tail', 'less', 'more', 'cp', 'mv', 'rm', 'rmdir', 'touch', 'mkdir', 'chmod', 'chown', 'ln', 'tee',
  'cd', 'ls', 'wc', 'stat', 'file', 'du', 'diff', 'source', '.',
]);

const HARMLESS = new Set(['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/stdin', '/dev/stdout', '/dev/stderr']);

/**
 * The operands of one sub-command that name files (`cat ../x` → `../x`), as absolute paths
 * resolved from the command's working directory; options and other commands' arguments are left alone.
 */
export function bashPathArguments(command: string, workdir: string): string[] {
  const [name, ...words] = effectiveCommand(command.trim()).split(/\s+/);
  // Redirect targets are files whatever the command: `echo x > /etc/f`, `cat a 2> log`.
  const redirected = words.filter((_word, index) => index > 0 && /^\d*(>>?|<|&>)$/.test(words[index - 1]!));
  const operands = name && PATH_COMMANDS.has(path.basename(name)) ? words.filter((word) => !/^\d*(>>?|<|&>)$/.test(word)) : [];
  return [...new Set([...operands, ...redirected])]
    .filter((word) => word !== '' && !word.startsWith('-') && !HARMLESS.has(word))
    .map((word) => (word === '~' || word.startsWith('~/') ? path.join(homedir(), word.slice(1)) : word))
    .map((word) => path.resolve(workdir, word));
}
