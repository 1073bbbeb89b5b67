/**
 * The service's HMAC keys from the secret store: `cookie_signing_key` (the `vid` and `sess`
 * cookies), `log_hash_key` (pseudonyms) and `preview_signing_key` (`$(DECISION)` tokens and QA
 * preview links). Each secret is read, and its key imported, only when a request needs it: the
 * cookie and log keys once the visitor is known to consent (`identityKeys`, both in one wait), the
 * preview key on its first use (a preview link, a page that renders `$(DECISION)`, a beacon with a
 * token). Inside the Wasm guest a secret read and an import each cost hostcalls and a few promises
 * (~10 µs each), and an anonymous visitor on a page without `$(DECISION)` needs none of them.
 * A secret that cannot be read, is empty or fails to import disables its key alone.
 */
import type { Deps, HmacKey, SecretKey } from '../ports.ts';

export interface IdentityKeys {
  signingKey: HmacKey | null;
  logKey: HmacKey | null;
}

export interface ServiceKeys {
  /** Reads and imports the cookie and log keys on the first call; later calls answer the same promise. Never rejects. */
  identityKeys: () => Promise<IdentityKeys>;
  /** What `identityKeys` answered, once it has; both null before (and for a visitor who never needed them). */
  identity: IdentityKeys;
  /**
   * Signs and checks `$(DECISION)` tokens and preview links; its secret is read on the first use.
   * Without the secret each use fails, which every caller treats as an invalid or missing token.
   */
  previewKey: HmacKey;
}

type KeyDeps = Pick<Deps, 'secret' | 'crypto'>;

const NO_KEYS: IdentityKeys = Object.freeze({ signingKey: null, logKey: null });

/** Reads nothing yet: each key's secret is read when the key is first asked for. */
export function readServiceKeys(deps: KeyDeps): ServiceKeys {
  let imported: Promise<IdentityKeys> | null = null;
  const keys: ServiceKeys = {
    identityKeys: () => (imported ??= readIdentity(deps, keys)),
    identity: NO_KEYS,
    previewKey: previewOnUse(deps),
  };
  return keys;
}

/**
 * The cookie and log secrets under one wait, then their keys: reactions, not async functions, as
 * inside the guest each promise costs ~10 µs. On any failure each secret is read again on its
 * own, which a healthy store never reaches.
 */
function readIdentity(deps: KeyDeps, into: ServiceKeys): Promise<IdentityKeys> {
  const each = () => Promise.all([readSecret(deps, 'cookie_signing_key'), readSecret(deps, 'log_hash_key')]).then((secrets) => importIdentity(deps, secrets[0], secrets[1], into));
  try {
    return Promise.all([deps.secret('cookie_signing_key'), deps.secret('log_hash_key')]).then((secrets) => importIdentity(deps, secrets[0] || null, secrets[1] || null, into), each);
  } catch {
    return each();
  }
}

/** The secret's text; null when absent, empty or unreadable (the key is then disabled). */
async function readSecret(deps: KeyDeps, name: SecretKey): Promise<string | null> {
  try {
    return (await deps.secret(name)) || null;
  } catch {
    return null;
  }
}

/**
 * Both keys imported at once, remembered on `into`; a key that fails to import is disabled alone.
 * A reaction, not an async function: one promise fewer in the guest.
 */
function importIdentity(deps: KeyDeps, cookie: string | null, hash: string | null, into: ServiceKeys): Promise<IdentityKeys> {
  const remember = (keys: IdentityKeys): IdentityKeys => (into.identity = keys);
  try {
    const both = Promise.all([cookie === null ? null : deps.crypto.hmacKey(cookie), hash === null ? null : deps.crypto.hmacKey(hash)]);
    return both.then((keys) => remember({ signingKey: keys[0], logKey: keys[1] }), () => importEachSafely(deps, cookie, hash).then(remember));
  } catch {
    return importEachSafely(deps, cookie, hash).then(remember);
  }
}

async function importEachSafely(deps: KeyDeps, signing: string | null, log: string | null): Promise<IdentityKeys> {
  return { signingKey: await importSafely(deps, signing), logKey: await importSafely(deps, log) };
}

async function importSafely(deps: KeyDeps, secret: string | null): Promise<HmacKey | null> {
  try {
    return secret === null ? null : await deps.crypto.hmacKey(secret);
  } catch {
    return null;
  }
}

/**
 * The preview key, its secret read and imported on its first use: most pages never check a preview
 * link, and a page that renders no `$(DECISION)` signs nothing. A missing secret, or one that fails
 * to import, fails each use.
 */
function previewOnUse(deps: KeyDeps): HmacKey {
  let imported: Promise<HmacKey> | null = null;
  const key = (): Promise<HmacKey> => (imported ??= importPreview(deps));
  // Reactions, not async wrappers: one promise fewer per use (~10 µs each in the guest).
  return {
    sign: (data) => key().then((imported) => imported.sign(data)),
    verify: (signature, data) => key().then((imported) => imported.verify(signature, data)),
  };
}

function importPreview(deps: KeyDeps): Promise<HmacKey> {
  const use = (secret: string | null): Promise<HmacKey> => (secret ? deps.crypto.hmacKey(secret) : Promise.reject(new Error('secret preview_signing_key missing')));
  try {
    return deps.secret('preview_signing_key').then(use);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error('secret preview_signing_key unreadable'));
  }
}
