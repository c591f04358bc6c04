import { Client, Connection } from '@temporalio/client';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, startDevServer, type DevServer } from '../../client/dev-server.js';
import { messageText, startScriptedModelServer, toolResults, type RecordedRequest, type ScriptedModelServer, type ScriptedReply } from '../../client/scripted-model-server.js';
import { activityEvents, type ActivityEvent } from './support/history.js';
import { cliEnvironment, lastJson, runCli } from './support/orca-cli.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/web-ui/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
const SKIP_NOTE = `${CHROMIUM} is missing: install Debian's chromium (.ci/run does) to check the session in the Web UI`;

/** The root reads the README and delegates a task; the child lists the folders. */
function respond(request: RecordedRequest): ScriptedReply {
  const prompt = messageText(request.body.messages.find((message) => message.role === 'user'));
  const results = toolResults(request);
  if (prompt.startsWith('CHILD:')) {
    return results.length === 0 ? { toolCalls: [{ name: 'glob', arguments: { pattern: '*' } }] } : { content: `Folders: ${results[0]!.content.slice(0, 200)}` };
  }
  if (results.length > 0) return { content: `Done: ${results.map((result) => result.content.slice(0, 100)).join(' | ')}` };
  const offered = new Set(request.body.tools?.map((tool) => tool.function?.name));
  return {
    toolCalls: [
      { name: 'read', arguments: { filePath: 'README.md' } },
      // Delegation comes with the lead's task tool; the check below covers children whenever the session has them.
      ...(offered.has('task') ? [{ name: 'task', arguments: { description: 'List the folders', prompt: 'CHILD: list the top-level folders', subagent_type: 'explore' } }] : []),
    ],
  };
}

describe('a session in the Temporal Web UI (headless Chromium)', () => {
  let root: string;
  let server: DevServer;
  let model: ScriptedModelServer;
  let browser: Browser | undefined;
  let connection: Connection;
  const unique = `${process.pid}-${Date.now()}`;
  const workflowId = `orca-webui-${unique}`;
  const ciRunId = `web-${unique}`;
  let url: string;
  let activities: ActivityEvent[];
  let children: { workflowId: string; summary?: string }[];

  beforeAll(async () => {
    if (!hasChromium) return;
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'orca-web-ui-')));
    const workspace = path.join(root, 'workspace');
    await mkdir(path.join(workspace, 'src'), { recursive: true });
    await mkdir(path.join(workspace, '.git'));
    await writeFile(path.join(workspace, 'README.md'), '# Web UI sample\n');
    [server, model] = await Promise.all([
      freePort().then((uiPort) => startDevServer({ uiPort, logFile: path.join(root, 'temporal-server.log') })),
      startScriptedModelServer({ respond }),
    ]);
    const run = await runCli(['run', '--worker', '--json', '--id', workflowId, '--ci-run-id', ciRunId, '--on-ask', 'deny', '--workspace', workspace, 'Please read README.md and list the folders'], {
      cwd: workspace,
      env: cliEnvironment({
        TEMPORAL_ADDRESS: server.address,
        ORCA_WEB_UI_URL: server.webUiUrl,
        OPENAI_BASE_URL: model.baseURL,
        OPENAI_API_KEY: 'test',
        ORCA_STORE_DIR: path.join(root, 'store'),
      }),
    });
    expect(run.code, run.stderr).toBe(0);
    url = lastJson<{ url: string }>(run).url;
    expect(url).toBe(`${server.webUiUrl}/namespaces/default/workflows/${workflowId}`);

    connection = await Connection.connect({ address: server.address });
    const handle = new Client({ connection }).workflow.getHandle(workflowId);
    activities = await activityEvents(handle);
    const history = await handle.fetchHistory();
    children = (history.events ?? [])
      .filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)
      .map((event) => ({
        workflowId: event.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId!,
        summary: event.userMetadata?.summary?.data ? (JSON.parse(new TextDecoder().decode(event.userMetadata.summary.data)) as string) : undefined,
      }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await connection?.close();
    await Promise.all([server?.stop(), model?.close()]);
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function open(address: string): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1440, height: 1000 } });
    // Not 'networkidle': the UI keeps asking the (finished, worker-less) session for its current details.
    await page.goto(address, { waitUntil: 'domcontentloaded' });
    return page;
  }

  test("the workflow page shows the session, its activities' summaries, and its child sessions", async (context) => {
    if (!hasChromium) {
      console.warn(`Skipped: ${SKIP_NOTE}`);
      return context.skip(SKIP_NOTE);
    }
    expect(activities.map((activity) => activity.summary)).toEqual(expect.arrayContaining(['load agents', 'read README.md', expect.stringMatching(/step 1$/)]));

    const page = await open(url);
    await page.getByText(workflowId, { exact: true }).first().waitFor({ timeout: 20_000 });
    // The timeline labels each activity `type • summary`, each child with its summary.
    for (const { type, summary } of activities) await page.getByText(`${type} • ${summary}`).first().waitFor({ timeout: 10_000 });
    for (const child of children) if (child.summary) await page.getByText(child.summary, { exact: true }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'history.png'), fullPage: true });

    // User Metadata: the session's static summary and details, and every event's summary.
    const runPage = page.url().replace(/\/history$/, '');
    await page.goto(`${runPage}/user-metadata`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: 'Events with Metadata' }).waitFor();
    const summaryFrame = page.locator('iframe[title="output"]').first().contentFrame();
    await expect.poll(() => summaryFrame.locator('body').innerText(), { timeout: 10_000 }).toContain('build: Please read README.md and list the folders');
    for (const { summary } of activities) await page.getByText(summary!, { exact: true }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'user-metadata.png'), fullPage: true });

    if (children.length > 0) {
      await page.goto(`${runPage}/relationships`, { waitUntil: 'domcontentloaded' });
      for (const child of children) await page.getByText(child.workflowId, { exact: true }).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'relationships.png'), fullPage: true });
    }
    await page.close();
  });

  test('the workflow list filters on the Orca search attributes', async (context) => {
    if (!hasChromium) return context.skip(SKIP_NOTE);
    const query = encodeURIComponent(`OrcaCiRunId="${ciRunId}" AND OrcaAgent="build"`);
    const page = await open(`${server.webUiUrl}/namespaces/default/workflows?query=${query}`);
    await page.getByText(workflowId, { exact: true }).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'list.png'), fullPage: true });
    await page.close();
  });
});
