/**
 * What `orca` exits with, so a CI step can tell the outcomes apart. The same code means the
 * same thing for every command that reports a session's outcome (run, result, logs --follow).
 */
export const EXIT = {
  /** The session completed (or the command did what was asked). */
  success: 0,
  /** The session failed or was terminated, or the command could not do what was asked. */
  failed: 1,
  /** A bad flag, argument, environment variable or `.orca/config.json` field. */
  usage: 2,
  /** The session was cancelled (`orca cancel`, the Web UI). */
  cancelled: 3,
  /** A tool call needs a person's approval: the session waits for it, or failed for want of it (`--on-ask fail`). */
  waitingForApproval: 4,
  /** The session had not finished when `--timeout` ran out (or, for `orca result` without `--wait`, is still running). */
  timedOut: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how Orca was called or configured: reported without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

export function exitCodeForError(error: unknown): ExitCode {
  return error instanceof UsageError ? EXIT.usage : EXIT.failed;
}
