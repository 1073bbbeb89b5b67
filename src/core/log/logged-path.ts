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
  // Most paths have nothing to redact: one native RegExp test answers for them, instead of two
  // `map` callbacks and up to six RegExp tests per segment (all interpreted calls in the Wasm guest).
  if (templates.length === 0 && path.length <= MAX_LOGGED_PATH && !MAY_CHANGE.test(path)) return path;
  const segments = path.split('/').map((segment) => {
    const semicolon = segment.indexOf(';');
    return semicolon < 0 ? segment : segment.slice(0, semicolon);
  });
  for (const template of templates) {
    if (matchesTemplate(segments, template)) return template;
  }
  return segments.map((segment) => (looksPersonal(segment) ? REDACTED : segment)).join('/').slice(0, MAX_LOGGED_PATH);
}

/** `*` as the last segment matches one or more segments; `:name` matches exactly one. */
function matchesTemplate(segments: readonly string[], template: string): boolean {
  const parts = template.split('/');
  const rest = parts.at(-1) === '*';
  if (rest ? segments.length < parts.length : segments.length !== parts.length) return false;
  return parts.every((part, i) => {
    if (rest && i === parts.length - 1) return (segments[i] ?? '') !== '';
    return part.startsWith(':') ? (segments[i] ?? '') !== '' : part === segments[i];
  });
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
