/**
 * The path a log line carries. A raw path can hold personal data (`/account/jane@example.com`,
 * `/orders/4929123456781234`, `/reset/<token>`), so a logged path is either the configured path
 * template it matches (`/product/:category/:sku`, `/account/*`) or the path with every segment that
 * looks personal replaced by `:redacted`. Matrix parameters (`;jsessionid=…`) are always dropped.
 * Work is linear in the path: it is split once and each segment is checked with bounded patterns.
 */

/** Longest path logged; anything longer is cut (a log line stays small). */
const MAX_LOGGED_PATH = 512;
const REDACTED = ':redacted';

/** An email address, a run of 6+ digits, a UUID, or a long token mixing letters and digits. */
const EMAIL = /@/;
const DIGIT_RUN = /\d{6}/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const TOKEN_CHARS = /^[A-Za-z0-9_.~+=-]{20,}$/;

/**
 * What any segment would need for loggedPath to change it: `@`, six digits, a run of 20 token
 * characters (a UUID is one), a matrix parameter, or an escape that could decode to one of these.
 */
const MAY_CHANGE = /[@;%]|\d{6}|[A-Za-z0-9_.~+=-]{20}/;

export function loggedPath(path: string, templates: readonly string[] = []): string {
  // Most paths have nothing to redact: one native RegExp test answers for them, instead of a `map`
  // callback and up to six RegExp tests per segment (all interpreted calls in the Wasm guest). Such
  // a path has no matrix parameter either, so its segments are a plain split.
  const plain = path.length <= MAX_LOGGED_PATH && !MAY_CHANGE.test(path);
  if (plain && templates.length === 0) return path;
  const segments = plain ? path.split('/') : withoutMatrix(path.split('/'));
  // Indexed loops, no `every`/`map` callbacks: the deployed settings list templates, so this runs
  // for every page and beacon, interpreted in the guest.
  for (let i = 0; i < templates.length; i++) {
    if (matchesTemplate(segments, templates[i]!)) return templates[i]!;
  }
  return plain ? path : redacted(segments);
}

/** Each segment up to its first `;` (matrix parameters dropped). */
function withoutMatrix(segments: string[]): string[] {
  for (let i = 0; i < segments.length; i++) {
    const semicolon = segments[i]!.indexOf(';');
    if (semicolon >= 0) segments[i] = segments[i]!.slice(0, semicolon);
  }
  return segments;
}

function redacted(segments: string[]): string {
  // Only the first MAX_LOGGED_PATH segments can reach the cut (each after its own `/`): a client's
  // path of 4,000 segments cost ~10 ms of interpreted tests in the Wasm guest for text then cut.
  const reach = Math.min(segments.length, MAX_LOGGED_PATH);
  for (let i = 0; i < reach; i++) if (looksPersonal(segments[i]!)) segments[i] = REDACTED;
  return segments.join('/').slice(0, MAX_LOGGED_PATH);
}

/** `*` as the last segment matches one or more segments; `:name` matches exactly one. */
function matchesTemplate(segments: readonly string[], template: string): boolean {
  const parts = template.split('/');
  const last = parts.length - 1;
  const rest = parts[last] === '*';
  if (rest ? segments.length < parts.length : segments.length !== parts.length) return false;
  for (let i = 0; i <= last; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    const named = (rest && i === last) || part.startsWith(':');
    if (named ? segment === '' : part !== segment) return false;
  }
  return true;
}

function looksPersonal(segment: string): boolean {
  if (segment === '') return false;
  const decoded = safeDecode(segment);
  if (EMAIL.test(decoded) || DIGIT_RUN.test(decoded) || UUID.test(decoded)) return true;
  return TOKEN_CHARS.test(decoded) && /[0-9]/.test(decoded) && /[A-Za-z]/.test(decoded);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
