import { toolResults, type RecordedRequest, type ScriptedReply, type ScriptedResponder, type ToolResult } from './scripted-model-server.js';

// Plays the model for the README demo ("What is this project? Read its README and name its top-level
// folders.") when no OPENAI_API_KEY is set. It routes on what the conversation holds, not on a
// counter, so parallel sessions each get their own next turn; and its answer quotes what the tools
// really returned, so the demo shows the tools working.

export const demoModelScript: ScriptedResponder = (request) => {
  const results = toolResults(request);
  return results.length === 0 ? readTheRepository(request) : describeTheProject(results);
};

function readTheRepository(request: RecordedRequest): ScriptedReply {
  const offered = new Set(request.body.tools?.map((tool) => tool.function?.name));
  const toolCalls = [
    { name: 'read', arguments: { filePath: 'README.md' } },
    { name: 'glob', arguments: { pattern: '*/' } },
  ].filter((call) => offered.has(call.name));
  if (toolCalls.length === 0) {
    return { content: '[scripted model] I was offered neither the read nor the glob tool, so I cannot look at this repository.' };
  }
  return { toolCalls };
}

function describeTheProject(results: ToolResult[]): ScriptedReply {
  const readme = results.find((result) => result.toolName === 'read');
  const folders = results.find((result) => result.toolName === 'glob');
  return { content: ['[scripted model]', describeReadme(readme), describeFolders(folders)].join(' ') };
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
