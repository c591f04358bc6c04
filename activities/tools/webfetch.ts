import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { htmlToMarkdown, htmlToText } from './html-to-text.js';

const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 30;
const MAX_TIMEOUT_SECONDS = 120;

const ACCEPT = {
  markdown: 'text/markdown;q=1.0, text/plain;q=0.8, text/html;q=0.7, */*;q=0.1',
  text: 'text/plain;q=1.0, text/markdown;q=0.9, text/html;q=0.8, */*;q=0.1',
  html: 'text/html;q=1.0, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.1',
};

const WebfetchParameters = z.object({
  url: z.url({ protocol: /^https?$/, error: 'Expected a full http:// or https:// URL' }).describe('The http:// or https:// URL to fetch'),
  format: z.enum(['text', 'markdown', 'html']).default('markdown').describe('How to return an HTML page: "markdown" (default), plain "text", or raw "html"'),
  timeout: z.number().positive().max(MAX_TIMEOUT_SECONDS).optional().describe(`Timeout in seconds (default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS})`),
});

export const webfetchTool = defineTool({
  id: 'webfetch',
  description: `Fetches a web page or file over http(s) and returns its content.
- HTML pages come back as markdown by default, or as plain text or raw html via format.
- Responses over 5 MB are refused; binary content (images, PDFs, archives) is refused.
- Read-only: use it to look up documentation or an API response, not to change anything.`,
  parameters: WebfetchParameters,
  summarize: (args) => `webfetch ${args.url}`,
  async permissions(args) {
    return [{ permission: 'webfetch', patterns: [args.url], always: [`${new URL(args.url).origin}/*`] }];
  },
  async execute(args, context) {
    const timeoutSeconds = args.timeout ?? DEFAULT_TIMEOUT_SECONDS;
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutSeconds * 1000)]);
    try {
      const response = await fetch(args.url, {
        signal,
        headers: { 'User-Agent': 'Mozilla/5.0 (compatible; orca-webfetch)', Accept: ACCEPT[args.format] },
      });
      if (!response.ok) throw new Error(`Fetching ${args.url} failed with HTTP ${response.status} ${response.statusText}. Check the URL or try another source.`);
      const contentType = response.headers.get('content-type') ?? '';
      if (/^(image|audio|video)\/|application\/(pdf|zip|octet-stream|gzip)/i.test(contentType)) {
        throw new Error(`${args.url} returned binary content (${contentType}); webfetch only returns text.`);
      }
      const body = await readCapped(response);
      const isHtml = /html/i.test(contentType);
      const output = !isHtml || args.format === 'html' ? body : args.format === 'text' ? htmlToText(body) : htmlToMarkdown(body);
      return { title: `${args.url} (${contentType || 'unknown type'})`, output, metadata: { status: response.status, contentType } };
    } catch (error) {
      if (context.signal.aborted) throw error;
      if ((error as Error).name === 'TimeoutError') throw new Error(`Fetching ${args.url} timed out after ${timeoutSeconds} s. Try again with a longer timeout (at most ${MAX_TIMEOUT_SECONDS}).`);
      if (error instanceof TypeError) throw new Error(`Could not fetch ${args.url}: ${describeCause(error)}. Check the URL and that the host is reachable.`);
      throw error;
    }
  },
});

async function readCapped(response: Response): Promise<string> {
  const tooLarge = () => new Error(`Response from ${response.url} is larger than 5 MB. Fetch a more specific page.`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_RESPONSE_BYTES) throw tooLarge();
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    // Throwing out of for-await cancels the stream, so the rest is never downloaded.
    if (size > MAX_RESPONSE_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeCause(error: TypeError): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.message ?? cause?.code ?? error.message;
}
