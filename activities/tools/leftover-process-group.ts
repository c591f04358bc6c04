import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** What a running bash call records in its heartbeats, so a retry can find what the last attempt left running. */
export interface ProcessGroupMark {
  host: string;
  processGroup: number;
  /** The leader's start time (/proc/<pid>/stat field 22), so a reused pid is never mistaken for it. */
  startTime: string;
}

async function startTimeOf(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // Fields after the parenthesised command name, which may itself contain spaces.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export async function markProcessGroup(pid: number): Promise<ProcessGroupMark | undefined> {
  const startTime = await startTimeOf(pid);
  return startTime ? { host: hostname(), processGroup: pid, startTime } : undefined;
}

function isMark(value: unknown): value is ProcessGroupMark {
  const mark = value as Partial<ProcessGroupMark> | undefined;
  return typeof mark?.host === 'string' && typeof mark.processGroup === 'number' && typeof mark.startTime === 'string';
}

/**
 * A worker that died mid-command leaves the command running; the retried attempt kills it before
 * running the command again, so two copies never run at once. Only on the same machine, and only
 * when the group's leader is provably the same process.
 */
export async function killLeftoverProcessGroup(previousAttempt: unknown): Promise<boolean> {
  if (!isMark(previousAttempt) || previousAttempt.host !== hostname()) return false;
  if ((await startTimeOf(previousAttempt.processGroup)) !== previousAttempt.startTime) return false;
  try {
    process.kill(-previousAttempt.processGroup, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
