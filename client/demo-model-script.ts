import { toolResults, type RecordedRequest, type ScriptedReply, type ScriptedResponder, type ToolResult } from './scripted-model-server.js';

// Plays the model for the README demo when no OPENAI_API_KEY is set. An orchestrator delegates to
// explore and librarian in parallel, then to writer; each subagent really uses its tools, and every
// answer quotes what the tools returned. It routes on what each conversation holds, not on a
// counter, so parallel sessions each get their own next turn.

const EXPLORE_TASK = 'List the top-level folders of this repository.';
const LIBRARIAN_TASK = 'Read README.md and report its first heading.';
const WRITER_TASK = 'Write the answer for the user from these findings:';

export const demoModelScript: ScriptedResponder = (request) => {
  const task = firstUserText(request);
  const results = toolResults(request);
  if (task === EXPLORE_TASK) return results.length === 0 ? call(request, 'glob', { pattern: '*/' }) : say(describeFolders(results[0]));
  if (task === LIBRARIAN_TASK) return results.length === 0 ? call(request, 'read', { filePath: 'README.md' }) : say(describeReadme(results[0]));
  if (task.startsWith(WRITER_TASK)) return say(task.slice(WRITER_TASK.length).trim());
  if (offers(request, 'task')) return orchestrate(results);
  return results.length === 0 ? readTheRepositoryDirectly(request) : say(`${describeReadme(find(results, 'read'))} ${describeFolders(find(results, 'glob'))}`);
};

function orchestrate(results: ToolResult[]): ScriptedReply {
  const findings = results.map((result) => taskText(result.content));
  if (results.length === 0) {
    return {
      toolCalls: [
        { name: 'task', arguments: { description: 'List top-level folders', prompt: EXPLORE_TASK, subagent_type: 'explore' } },
        { name: 'task', arguments: { description: 'Read the README', prompt: LIBRARIAN_TASK, subagent_type: 'librarian' } },
      ],
    };
  }
  if (results.length === 2) {
    return { toolCalls: [{ name: 'task', arguments: { description: 'Write the answer', prompt: `${WRITER_TASK} ${findings.reverse().join(' ')}`, subagent_type: 'writer' } }] };
  }
  return say(findings[0] ?? '');
}

function readTheRepositoryDirectly(request: RecordedRequest): ScriptedReply {
  const toolCalls = [
    { name: 'read', arguments: { filePath: 'README.md' } },
    { name: 'glob', arguments: { pattern: '*/' } },
  ].filter((toolCall) => offers(request, toolCall.name));
  return toolCalls.length > 0 ? { toolCalls } : say('I was offered neither the read nor the glob tool, so I cannot look at this repository.');
}

function say(text: string): ScriptedReply {
  return { content: text.startsWith('[scripted model]') ? text : `[scripted model] ${text}` };
}

function call(request: RecordedRequest, name: string, args: Record<string, unknown>): ScriptedReply {
  return offers(request, name) ? { toolCalls: [{ name, arguments: args }] } : say(`I may not use the ${name} tool.`);
}

function offers(request: RecordedRequest, name: string): boolean {
  return request.body.tools?.some((tool) => tool.function?.name === name) ?? false;
}

function find(results: ToolResult[], toolName: string): ToolResult | undefined {
  return results.find((result) => result.toolName === toolName);
}

function firstUserText(request: RecordedRequest): string {
  const first = request.body.messages.find((message) => message.role === 'user');
  return typeof first?.content === 'string' ? first.content : '';
}

/** The child's final text inside `<task_result>`, without the scripted-model marker. */
function taskText(content: string): string {
  const inner = content.match(/<task_result>\n?([\s\S]*?)\n?<\/task_result>/)?.[1] ?? content;
  return inner.replace(/^\[scripted model\]\s*/, '').trim();
}

function describeReadme(readme: ToolResult | undefined): string {
  if (!readme) return 'I did not get to read the README.';
  const lines = contentLines(readme.content);
  const heading = lines.find((line) => /^#{1,6}\s+\S/.test(line));
  if (heading) return `The README's first heading is "${heading}".`;
  return `Reading the README returned: "${lines[0] ?? '(nothing)'}".`;
}

function describeFolders(folders: ToolResult | undefined): string {
  if (!folders) return 'I did not get to list the folders.';
  const lines = contentLines(folders.content);
  // Paths have no spaces here; notes such as "(Results are truncated...)" or "No files found" do.
  const names = lines
    .filter((line) => /^[^\s()<>]+$/.test(line))
    .map((line) => line.replace(/[\\/]+$/, '').split(/[\\/]/).at(-1) ?? '')
    .filter((name) => name !== '');
  if (names.length === 0) return `Listing the folders returned no folder: "${lines[0] ?? '(nothing)'}".`;
  return `Its top-level folders are: ${[...new Set(names)].sort().join(', ')}.`;
}

/** Non-empty lines without line-number prefixes ("00001| ", "1: ", "   1→", "1\t") or wrapper tags. */
function contentLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*\d+(?:[|:→\t]\s?)/, '').trim())
    .filter((line) => line !== '' && !/^<\/?[a-z_-]+>/i.test(line));
}
