// Deliberately simple: enough to make a documentation page readable to a model, no HTML parser dependency.

const BLOCK_END = /<\/(p|div|section|article|header|footer|main|nav|aside|table|tr|ul|ol|blockquote|h[1-6])\s*>/gi;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', copy: '©' };

export function htmlToText(html: string): string {
  return finish(
    dropInvisible(html)
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li[^>]*>/gi, '\n- ')
      .replace(/<\/(td|th)\s*>/gi, '\t')
      .replace(BLOCK_END, '\n\n'),
  );
}

export function htmlToMarkdown(html: string): string {
  return finish(
    dropInvisible(html)
      .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_, level: string, text: string) => `\n\n${'#'.repeat(Number(level))} ${inline(text)}\n\n`)
      .replace(/<pre[^>]*>([\s\S]*?)<\/pre\s*>/gi, (_, code: string) => `\n\n\`\`\`\n${stripTags(code)}\n\`\`\`\n\n`)
      .replace(/<a\s[^>]*href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a\s*>/gi, (_, href: string, text: string) => `[${inline(text)}](${href})`)
      .replace(/<(strong|b)(\s[^>]*)?>([\s\S]*?)<\/\1\s*>/gi, '**$3**')
      .replace(/<(em|i)(\s[^>]*)?>([\s\S]*?)<\/\1\s*>/gi, '_$3_')
      .replace(/<code[^>]*>([\s\S]*?)<\/code\s*>/gi, '`$1`')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li[^>]*>/gi, '\n- ')
      .replace(/<\/(td|th)\s*>/gi, ' | ')
      .replace(BLOCK_END, '\n\n'),
  );
}

function dropInvisible(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|svg|head)[\s>][\s\S]*?<\/\1\s*>/gi, '');
}

function inline(html: string): string {
  return stripTags(html).replace(/\s+/g, ' ').trim();
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '');
}

function finish(html: string): string {
  return decodeEntities(stripTags(html))
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, code: string) => {
    if (code[0] === '#') {
      const point = code[1]?.toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(point) && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
    }
    return NAMED_ENTITIES[code.toLowerCase()] ?? entity;
  });
}
