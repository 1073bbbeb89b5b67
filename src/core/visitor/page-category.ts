/**
 * The product category a page path belongs to, for session signals: `/category/{slug}` and
 * `/product/{category}/{sku}` (an optional trailing slash is allowed; slugs are lowercased).
 */

const CATEGORY_PATTERN = /^[a-z0-9-]{1,32}$/;

export function isCategory(text: string): boolean {
  return CATEGORY_PATTERN.test(text);
}

/** The category of a category or product page, else null (including any malformed slug). */
export function categoryFromPath(path: string): string | null {
  if (path.length > 512) return null;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const parts = trimmed.split('/');
  if (parts[0] !== '') return null;
  if (parts[1] === 'category' && parts.length === 3) return slug(parts[2]);
  if (parts[1] === 'product' && parts.length === 4 && (parts[3] ?? '') !== '') return slug(parts[2]);
  return null;
}

function slug(part: string | undefined): string | null {
  const lower = (part ?? '').toLowerCase();
  return isCategory(lower) ? lower : null;
}

/** The category of the page a serialized request URL names (`categoryFromPath` of its path). */
export function categoryFromUrl(url: string): string | null {
  return categoryFromPath(pathOf(url));
}

/**
 * The path of a serialized http(s) URL (as `Request.url` always is): after the authority, up to
 * the query or fragment; the serializer has already percent-encoded any `/`, `?` or `#` in the
 * user info. One native match instead of parsing the URL a second time per page.
 */
const HTTP_PATH = /^https?:\/\/[^/?#]*(\/[^?#]*)/;

function pathOf(url: string): string {
  const match = HTTP_PATH.exec(url);
  if (match !== null) return match[1]!;
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}
