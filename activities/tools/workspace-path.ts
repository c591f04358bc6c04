import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { PermissionRequest } from './define-tool.js';

export interface WorkspacePath {
  /** Lexically resolved absolute path, as the model named it. */
  absolute: string;
  /** Path relative to the workspace, with forward slashes ("." for the root; starts with ".." when outside). */
  relative: string;
  /** Where the path really lives once symlinks are followed. */
  real: string;
  /** True when the path, lexically or through a symlink, lies outside the workspace. */
  external: boolean;
}

export async function resolveWorkspacePath(workspace: string, givenPath: string): Promise<WorkspacePath> {
  const root = await realpath(workspace);
  const absolute = path.resolve(root, givenPath);
  const real = await realpathOfNearestAncestor(absolute);
  const relative = toPosix(path.relative(root, absolute)) || '.';
  return { absolute, relative, real, external: !isInside(root, absolute) || !isInside(root, real) };
}

/**
 * The permission a tool asks for a path: the path relative to the workspace when inside, else the
 * absolute path plus `external_directory` for the directory it lives in. `kind: 'directory'` asks for
 * the directory itself rather than its parent.
 */
export function pathPermissions(
  permission: string,
  target: WorkspacePath,
  kind: 'file' | 'directory' = 'file',
): PermissionRequest[] {
  if (!target.external) return [{ permission, patterns: [target.relative], always: ['*'] }];
  const directory = kind === 'directory' ? target.real : path.dirname(target.real);
  const directoryPattern = `${directory === '/' ? '' : directory}/*`;
  return [
    { permission: 'external_directory', patterns: [directoryPattern], always: [directoryPattern] },
    { permission, patterns: [target.real], always: ['*'] },
  ];
}

/** The workspace-relative path for display, or the absolute one when outside. */
export function displayPath(target: WorkspacePath): string {
  return target.external ? target.absolute : target.relative;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

// A path that does not exist yet (a file about to be written) still escapes if an ancestor is a symlink out.
async function realpathOfNearestAncestor(absolute: string): Promise<string> {
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const parent = path.dirname(current);
      if (!isMissing(error) || parent === current) throw error;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/');
}
