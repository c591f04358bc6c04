/** Directories list, glob and grep skip unless the model names them in its pattern. */
export const IGNORED_DIRECTORIES = ['.git', 'node_modules', 'dist', 'build', 'coverage', '.venv', '__pycache__', '.next', '.cache'];

/** tinyglobby ignore globs for the default directories, keeping any the pattern explicitly mentions. */
export function ignoreGlobs(pattern = '', extra: string[] = []): string[] {
  return IGNORED_DIRECTORIES.filter((directory) => !pattern.includes(directory))
    .map((directory) => `**/${directory}/**`)
    .concat(extra);
}
