import { randomBytes } from 'node:crypto';

/** `orca-<agent>-<8 hex>`: readable in the Web UI, unique enough for one namespace. */
export function newSessionId(agent: string): string {
  const slug = agent.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'agent';
  return `orca-${slug}-${randomBytes(4).toString('hex')}`;
}
