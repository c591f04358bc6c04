const compiled = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  }
  // "git status *" also covers the bare "git status".
  if (source.endsWith(' .*')) source = `${source.slice(0, -3)}( .*)?`;
  return new RegExp(`^${source}$`, 's');
}

/** `*` matches any run of characters (including `/`), `?` exactly one; a trailing `" *"` is optional. */
export function matchWildcard(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = compile(pattern);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}
