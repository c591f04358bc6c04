import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { webfetchTool } from '../../../activities/tools/webfetch.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

const PAGE = `<!doctype html><html><head><title>T</title><style>body{}</style></head><body>
<h1>Guide &amp; intro</h1><script>alert(1)</script>
<p>Read the <a href="/docs">docs</a> or <strong>ask</strong>.</p>
<ul><li>one</li><li>two</li></ul></body></html>`;

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/page') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    else if (request.url === '/json') response.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
    else if (request.url === '/image') response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([1, 2, 3]));
    else if (request.url === '/slow') setTimeout(() => response.end('late'), 3000);
    else if (request.url === '/huge') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(1024 * 1024);
      for (let index = 0; index < 6; index++) response.write(chunk);
      response.end();
    } else response.writeHead(404).end('missing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));

let temporary: TemporaryWorkspace;
beforeEach(async () => {
  temporary = await createTemporaryWorkspace();
});
afterEach(() => temporary.remove());

describe('webfetch', () => {
  test('turns HTML into markdown by default', async () => {
    const result = await temporary.run(webfetchTool, { url: `${baseUrl}/page` });
    expect(result.output).toBe('# Guide & intro\n\nRead the [docs](/docs) or **ask**.\n\n- one\n- two');
  });

  test('returns plain text or raw html on request', async () => {
    const text = await temporary.run(webfetchTool, { url: `${baseUrl}/page`, format: 'text' });
    expect(text.output).toBe('Guide & intro\n\nRead the docs or ask.\n\n- one\n- two');
    const html = await temporary.run(webfetchTool, { url: `${baseUrl}/page`, format: 'html' });
    expect(html.output).toBe(PAGE);
  });

  test('returns other text as it is', async () => {
    expect((await temporary.run(webfetchTool, { url: `${baseUrl}/json` })).output).toBe('{"a":1}');
  });

  test('reports HTTP errors, binary content, responses over 5 MB and timeouts', async () => {
    await expect(temporary.run(webfetchTool, { url: `${baseUrl}/nope` })).rejects.toThrow('failed with HTTP 404');
    await expect(temporary.run(webfetchTool, { url: `${baseUrl}/image` })).rejects.toThrow('returned binary content (image/png)');
    await expect(temporary.run(webfetchTool, { url: `${baseUrl}/huge` })).rejects.toThrow('larger than 5 MB');
    await expect(temporary.run(webfetchTool, { url: `${baseUrl}/slow`, timeout: 0.5 })).rejects.toThrow('timed out after 0.5 s');
  });

  test('reports an unreachable host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(temporary.run(webfetchTool, { url: `http://127.0.0.1:${port}/` })).rejects.toThrow(/Could not fetch .*ECONNREFUSED/);
  });

  test('accepts only http and https URLs', () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'example.com']) {
      expect(webfetchTool.parameters.safeParse({ url }).success).toBe(false);
    }
  });

  test('asks webfetch for the URL, suggesting its origin for always', async () => {
    expect(await temporary.permissions(webfetchTool, { url: 'https://example.com/a/b?c=1' })).toEqual([
      { permission: 'webfetch', patterns: ['https://example.com/a/b?c=1'], always: ['https://example.com/*'] },
    ]);
  });
});
