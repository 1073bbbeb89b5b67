/**
 * The bench visitor's cookies, kept as a browser keeps them: the `Cookie` header it sends is its
 * starting cookies updated from every `Set-Cookie` the edge answered. Without it a returning
 * visitor would resend its first cookies forever, so the edge would set the session cookie again
 * on every category or product view, signing it each time and keeping the page out of the page
 * cache (DESIGN §5.6), which a real returning visitor pays only on its first view.
 * Only the name and value count: the bench talks to one host over one path (`Path=/`), and a
 * cookie the edge clears (`Max-Age=0`, or an `Expires` in the past) is dropped.
 */
export class VisitorJar {
  private readonly cookies = new Map<string, string>();

  constructor(header: string) {
    for (const pair of header.split(';')) this.put(pair);
  }

  /** The `Cookie` header to send now; names in the order first seen, as a browser sends them. */
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Takes in a response's `Set-Cookie` lines (`Headers.getSetCookie()`). */
  keep(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      if (attributes.some(clears)) this.cookies.delete(nameOf(pair));
      else this.put(pair);
    }
  }

  private put(pair: string): void {
    const name = nameOf(pair);
    if (name !== '') this.cookies.set(name, pair.slice(pair.indexOf('=') + 1).trim());
  }
}

function nameOf(pair: string): string {
  const at = pair.indexOf('=');
  return at < 0 ? '' : pair.slice(0, at).trim();
}

/** `Max-Age` of zero or less, or an `Expires` date already past: the cookie is deleted. */
function clears(attribute: string): boolean {
  const at = attribute.indexOf('=');
  const name = attribute.slice(0, at < 0 ? undefined : at).trim().toLowerCase();
  const value = at < 0 ? '' : attribute.slice(at + 1).trim();
  if (name === 'max-age') return Number(value) <= 0;
  if (name === 'expires') return Date.parse(value) <= Date.now();
  return false;
}
