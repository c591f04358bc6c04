import { readdir } from 'node:fs/promises';

/** Up to `limit` entries of `directory` whose names resemble `name` (for "Did you mean ...?"). */
export async function similarNames(directory: string, name: string, limit = 3): Promise<string[]> {
  const entries = await readdir(directory).catch(() => [] as string[]);
  const wanted = name.toLowerCase();
  return entries
    .map((entry) => ({ entry, distance: nameDistance(wanted, entry.toLowerCase()) }))
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.entry.localeCompare(b.entry))
    .slice(0, limit)
    .map(({ entry }) => entry);
}

// Containment counts as close: "config" should suggest "config.json" and the other way round.
function nameDistance(a: string, b: string): number {
  if (a.includes(b) || b.includes(a)) return 1;
  return levenshtein(a, b);
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
