import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const options: Record<keyof Activities, ActivityOptions> = {
  loadAgents: { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } },
  // Heartbeats prove the worker is alive every 2 s; a silent model is caught by the activity's idle timeout.
  invokeModel: {
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: '20 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
  },
  // bash heartbeats every second; other tools finish well within the heartbeat timeout.
  runTool: {
    startToCloseTimeout: '15 minutes',
    heartbeatTimeout: '20 seconds',
    retry: { initialInterval: '1 second', maximumAttempts: 3 },
  },
};

/** The activity with a one-line summary the Web UI shows on its event. */
export function activity<Name extends keyof Activities>(name: Name, summary: string, taskQueue?: string): Activities[Name] {
  return proxyActivities<Activities>({ ...options[name], summary, ...(taskQueue ? { taskQueue } : {}) })[name];
}

/**
 * A child reads its root's agent snapshot from the content store: a short read on the worker that
 * runs the child, so a local activity (no round trip through the server) before its first model call.
 */
export function localActivity<Name extends keyof Activities>(name: Name, summary: string): Activities[Name] {
  return proxyLocalActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 }, summary })[name];
}
