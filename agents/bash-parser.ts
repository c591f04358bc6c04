/**
 * A small shell tokenizer: enough of bash's grammar to find every command a line
 * will run (pipes, && / || / ; / & chains, newlines, ( ) subshells, $( ) and `
 * substitutions, <( ) process substitutions) so each can be checked on its own.
 * When the input is malformed it errs towards reporting more commands, never fewer.
 */

type State = {
  text: string;
  index: number;
  commands: (string[] | undefined)[];
  heredocs: { delimiter: string; stripTabs: boolean; expands: boolean }[];
};

type Terminator = ')' | '`' | undefined;

const leadingKeywords = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'time', 'esac']);
const headerKeywords = new Set(['for', 'select', 'case', 'function']);

/** Each command as its words, quotes removed, in the order the commands start. */
export function parseBashCommands(text: string): string[][] {
  const state: State = { text, index: 0, commands: [], heredocs: [] };
  parseSequence(state, undefined);
  return state.commands.filter((words): words is string[] => words !== undefined);
}

function parseSequence(state: State, terminator: Terminator): void {
  const { text } = state;
  let slot = openCommand(state);
  let words: string[] = [];
  let word: string | undefined;
  let wordQuoted = false;
  let awaitingHeredoc: { stripTabs: boolean } | undefined;

  const endWord = () => {
    if (word === undefined) return;
    if (awaitingHeredoc) {
      state.heredocs.push({ delimiter: word, stripTabs: awaitingHeredoc.stripTabs, expands: !wordQuoted });
      awaitingHeredoc = undefined;
    }
    words.push(word);
    word = undefined;
    wordQuoted = false;
  };
  const endCommand = () => {
    endWord();
    closeCommand(state, slot, words);
    words = [];
    slot = openCommand(state);
  };
  const append = (part: string, quoted = false) => {
    word = (word ?? '') + part;
    wordQuoted ||= quoted;
  };

  while (state.index < text.length) {
    const char = text[state.index]!;
    const next = text[state.index + 1];
    if (char === terminator) {
      state.index++;
      endCommand();
      return;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      endWord();
      state.index++;
    } else if (char === '\n') {
      state.index++;
      endCommand();
      skipHeredocBodies(state);
    } else if (char === '\\') {
      if (next !== '\n' && next !== undefined) append(next, true);
      state.index += 2;
    } else if (char === "'") {
      append(readUntil(state, state.index + 1, "'"), true);
    } else if (char === '"') {
      append(readDoubleQuoted(state), true);
    } else if (char === '$') {
      append(readDollar(state));
    } else if (char === '`') {
      append(readNested(state, 1, '`'));
    } else if (char === '#' && word === undefined) {
      while (state.index < text.length && text[state.index] !== '\n') state.index++;
    } else if (char === ';' || char === '|' || (char === '&' && next !== '>')) {
      state.index += next === char || (char === '|' && next === '&') || (char === ';' && next === '&') ? 2 : 1;
      endCommand();
    } else if (char === ')') {
      // Unbalanced, or a `case` pattern: treat it as a separator.
      state.index++;
      endCommand();
    } else if (char === '(' && word === undefined) {
      state.index++;
      const hadWords = words.length > 0;
      parseSequence(state, ')');
      if (hadWords) endCommand();
    } else if ((char === '<' || char === '>') && next === '(') {
      append(readNested(state, 2, ')'));
    } else if (char === '<' || char === '>' || char === '&') {
      const fd = word !== undefined && !wordQuoted && /^\d+$/.test(word) ? word : '';
      if (fd) word = undefined;
      else endWord();
      const operator = readRedirect(state);
      words.push(fd + operator);
      if (operator === '<<' || operator === '<<-') awaitingHeredoc = { stripTabs: operator === '<<-' };
    } else {
      append(char);
      state.index++;
    }
  }
  endCommand();
}

function openCommand(state: State): number {
  state.commands.push(undefined);
  return state.commands.length - 1;
}

function closeCommand(state: State, slot: number, words: string[]): void {
  let start = 0;
  while (start < words.length && leadingKeywords.has(words[start]!)) start++;
  const command = words.slice(start).filter((word) => word !== '');
  if (command.length === 0 || headerKeywords.has(command[0]!)) return;
  state.commands[slot] = command;
}

function readUntil(state: State, from: number, quote: string): string {
  const end = state.text.indexOf(quote, from);
  const stop = end === -1 ? state.text.length : end;
  state.index = stop + 1;
  return state.text.slice(from, stop);
}

function readDoubleQuoted(state: State): string {
  const { text } = state;
  let value = '';
  state.index++;
  while (state.index < text.length && text[state.index] !== '"') {
    const char = text[state.index]!;
    const next = text[state.index + 1];
    if (char === '\\' && next !== undefined && '"\\$`\n'.includes(next)) {
      if (next !== '\n') value += next;
      state.index += 2;
    } else if (char === '$') value += readDollar(state);
    else if (char === '`') value += readNested(state, 1, '`');
    else {
      value += char;
      state.index++;
    }
  }
  state.index++;
  return value;
}

/** `$(...)` runs a command; `$((...))`, `${...}` and `$name` are kept as written. */
function readDollar(state: State): string {
  const { text, index } = state;
  const next = text[index + 1];
  if (next === '(' && text[index + 2] === '(') return readBalanced(state, 3, '(', ')', 2);
  if (next === '(') return readNested(state, 2, ')');
  if (next === '{') return readBalanced(state, 2, '{', '}', 1);
  if (next === "'") return `$'${readUntil(state, index + 2, "'")}'`;
  state.index++;
  return '$';
}

function readNested(state: State, openerLength: number, terminator: Terminator): string {
  const start = state.index;
  state.index += openerLength;
  parseSequence(state, terminator);
  return state.text.slice(start, state.index);
}

/** `${...}` and `$((...))` are kept as written, but a `$( )` or backquote inside them still runs. */
function readBalanced(state: State, openerLength: number, open: string, close: string, depth: number): string {
  const { text } = state;
  const start = state.index;
  state.index += openerLength;
  while (state.index < text.length && depth > 0) {
    const char = text[state.index]!;
    if (char === '$') readDollar(state);
    else if (char === '`') readNested(state, 1, '`');
    else {
      if (char === open) depth++;
      if (char === close) depth--;
      state.index++;
    }
  }
  return text.slice(start, state.index);
}

const redirectOperators = ['&>>', '&>', '<<<', '<<-', '<<', '<&', '<>', '<', '>>', '>&', '>|', '>'];

function readRedirect(state: State): string {
  const rest = state.text.slice(state.index);
  const operator = redirectOperators.find((candidate) => rest.startsWith(candidate)) ?? rest[0]!;
  state.index += operator.length;
  if (!operator.endsWith('&')) return operator;
  const target = /^(\d+-?|-)/.exec(state.text.slice(state.index))?.[0] ?? '';
  state.index += target.length;
  return operator + target;
}

/** Heredoc bodies are data, except that an unquoted delimiter lets `$( )` in the body run. */
function skipHeredocBodies(state: State): void {
  const { text } = state;
  for (const { delimiter, stripTabs, expands } of state.heredocs.splice(0)) {
    while (state.index < text.length) {
      const end = text.indexOf('\n', state.index);
      const line = text.slice(state.index, end === -1 ? text.length : end);
      if ((stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) {
        state.index += line.length + 1;
        break;
      }
      while (state.index < text.length && text[state.index] !== '\n') {
        const char = text[state.index]!;
        if (expands && char === '$') readDollar(state);
        else if (expands && char === '`') readNested(state, 1, '`');
        else state.index += expands && char === '\\' ? 2 : 1;
      }
      state.index++;
    }
  }
}
