/**
 * A minimal placeholder renderer for the origin's `.html` files: `{{name}}` inserts an
 * HTML-escaped value, `{{{name}}}` inserts markup the origin built itself. A linear scan, no regex,
 * and an unknown placeholder is a bug (it throws), so templates and code cannot drift apart.
 */
import { readFileSync } from 'node:fs';

const cache = new Map<string, string>();

/** Reads a text file (`.html`, `.css`, `.js`) relative to `base` (an `import.meta.url`) once and keeps it. */
export function loadText(base: string, relativePath: string): string {
  const url = new URL(relativePath, base);
  const key = url.href;
  let source = cache.get(key);
  if (source === undefined) {
    source = readFileSync(url, 'utf8');
    cache.set(key, source);
  }
  return source;
}

export function escapeHtml(value: string): string {
  let out = '';
  for (const char of value) {
    switch (char) {
      case '&': out += '&amp;'; break;
      case '<': out += '&lt;'; break;
      case '>': out += '&gt;'; break;
      case '"': out += '&quot;'; break;
      case "'": out += '&#39;'; break;
      default: out += char;
    }
  }
  return out;
}

export function renderHtml(source: string, values: Readonly<Record<string, string>>): string {
  let out = '';
  let cursor = 0;
  for (;;) {
    const open = source.indexOf('{{', cursor);
    if (open === -1) return out + source.slice(cursor);
    const raw = source.startsWith('{{{', open);
    const closer = raw ? '}}}' : '}}';
    const nameStart = open + (raw ? 3 : 2);
    const close = source.indexOf(closer, nameStart);
    if (close === -1) throw new Error(`unterminated placeholder at offset ${open}`);
    const name = source.slice(nameStart, close).trim();
    const value = values[name];
    if (value === undefined) throw new Error(`no value for placeholder {{${name}}}`);
    out += source.slice(cursor, open) + (raw ? value : escapeHtml(value));
    cursor = close + closer.length;
  }
}
