import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { similarNames } from './similar-names.js';
import { displayPath, pathPermissions, resolveWorkspacePath } from './workspace-path.js';

const EditParameters = z.object({
  filePath: z.string().min(1).describe('Path of the file to edit, relative to the workspace root or absolute'),
  oldString: z.string().describe('The exact text to replace, including whitespace and indentation. Empty to create a new file'),
  newString: z.string().describe('The text to replace it with (must differ from oldString)'),
  replaceAll: z.boolean().optional().describe('Replace every occurrence of oldString instead of requiring exactly one (default false)'),
});

export const editTool = defineTool({
  id: 'edit',
  description: `Replaces exact text in a file.
- oldString must match the file exactly (whitespace and indentation included) and appear exactly once,
  unless replaceAll is true. Add surrounding lines to make it unique.
- Read the file first so oldString is copied from its current content.
- An empty oldString creates a new file whose content is newString.`,
  parameters: EditParameters,
  summarize: (args) => `edit ${args.filePath}`,
  async permissions(args, context) {
    return pathPermissions('edit', await resolveWorkspacePath(context.workspace, args.filePath));
  },
  /*
   * Temporal may run this activity more than once (a worker dies after writing but before
   * reporting). A retried edit then finds its oldString gone and its newString in place; that
   * case returns success with an "already applied" note instead of a confusing failure.
   */
  async execute(args, context) {
    if (args.oldString === args.newString) {
      throw new Error('oldString and newString are identical, so there is nothing to change. Give the text as it should be after the edit in newString.');
    }
    const file = await resolveWorkspacePath(context.workspace, args.filePath);
    const shown = displayPath(file);
    const stats = await stat(file.absolute).catch(() => undefined);
    if (stats?.isDirectory()) throw new Error(`${shown} is a directory. Give the path of a file inside it.`);

    if (args.oldString === '') {
      const current = stats ? await readFile(file.absolute, 'utf8') : undefined;
      if (current === args.newString) return { title: shown, output: `${shown} already has this content (edit already applied).` };
      if (current) throw new Error(`${shown} already exists and is not empty. Give the text to replace in oldString, or use the write tool to overwrite the whole file.`);
      await mkdir(path.dirname(file.absolute), { recursive: true });
      await writeFile(file.absolute, args.newString, 'utf8');
      return { title: shown, output: `Created ${shown}.`, metadata: { replacements: 0, created: true } };
    }

    if (!stats) {
      const suggestions = await similarNames(path.dirname(file.absolute), path.basename(file.absolute));
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : ' To create a file, use the write tool or an empty oldString.';
      throw new Error(`File not found: ${shown}.${hint}`);
    }

    const content = await readFile(file.absolute, 'utf8');
    const { oldString, newString } = matchLineEndings(content, args.oldString, args.newString);
    const occurrences = content.split(oldString).length - 1;
    if (occurrences === 0) {
      if (newString !== '' && content.includes(newString)) {
        return { title: shown, output: `oldString is no longer in ${shown} but newString is: the edit was already applied (e.g. by a retried call). Read the file if unsure.`, metadata: { replacements: 0, alreadyApplied: true } };
      }
      throw new Error(`oldString was not found in ${shown}. Read the file again and copy the exact text, including whitespace and indentation.`);
    }
    if (occurrences > 1 && !args.replaceAll) {
      throw new Error(`oldString appears ${occurrences} times in ${shown}. Include more surrounding lines to make it unique, or set replaceAll to true to replace every occurrence.`);
    }

    await writeFile(file.absolute, content.split(oldString).join(newString), 'utf8');
    const summary = occurrences === 1 ? 'Replaced 1 occurrence' : `Replaced ${occurrences} occurrences`;
    return { title: shown, output: `${summary} in ${shown}.`, metadata: { replacements: occurrences } };
  },
});

// Models write "\n"; a CRLF file would otherwise never match.
function matchLineEndings(content: string, oldString: string, newString: string): { oldString: string; newString: string } {
  if (!content.includes('\r\n') || oldString.includes('\r\n') || content.includes(oldString)) return { oldString, newString };
  const toCrlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
  return { oldString: toCrlf(oldString), newString: toCrlf(newString) };
}
