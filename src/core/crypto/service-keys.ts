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
import type { Deps, HmacKey, SecretKey, SecretValue } from '../ports.ts';
import { Later } from '../later.ts';

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
    identityKeys: () => (imported ??= readKeys(deps, IDENTITY_SECRETS, (read) => (keys.identity = { signingKey: read[0]!, logKey: read[1]! }))),
    identity: NO_KEYS,
    previewKey: previewOnUse(deps),
  };
  return keys;
}

/**
 * The secrets `names` read and their keys imported one after the other, each platform promise
 * awaited as it is, then handed to `done` (the identity keys, the preview key: one way to read a
 * key). An await makes no promise, a `then` does (inside the guest each costs two clock reads and
 * a few µs), and the store and Web Crypto work when called, so nothing waits longer. A secret that
 * cannot be read, is empty or fails to import disables its key alone; this never rejects unless
 * `done` throws.
 */
async function readKeys<T>(deps: KeyDeps, names: readonly SecretKey[], done: (keys: Array<HmacKey | null>) => T): Promise<T> {
  const keys: Array<HmacKey | null> = [];
  for (let i = 0; i < names.length; i++) {
    let key: HmacKey | null = null;
    try {
      const secret = secretText(await deps.secret(names[i]!));
      if (secret) key = keyOf(deps.crypto, await importOf(deps.crypto, secret));
    } catch {
      key = null;
    }
    keys.push(key);
  }
  return done(keys);
}

const IDENTITY_SECRETS: readonly SecretKey[] = ['cookie_signing_key', 'log_hash_key'];
const PREVIEW_SECRET: readonly SecretKey[] = ['preview_signing_key'];

/** The platform's own import when the port offers it (for the caller's own await; crypto-port.ts), else the port's key. */
function importOf(crypto: KeyDeps['crypto'], secret: string): Promise<CryptoKey | HmacKey> {
  return crypto.hmacImport && crypto.hmacOf ? crypto.hmacImport(secret) : crypto.hmacKey(secret);
}

function keyOf(crypto: KeyDeps['crypto'], imported: CryptoKey | HmacKey): HmacKey {
  return 'sign' in imported ? imported : crypto.hmacOf!(imported);
}

/**
 * The preview key, its secret read and imported on its first use, or earlier when `prepare`d (a
 * template that carries `$(DECISION)`, so the read overlaps its fragments): most pages never check a
 * preview link, and a page that renders no `$(DECISION)` signs nothing. A missing secret, or one that fails
 * to import, fails each use. Its uses wait on the import through a `Later`, not promises of ours: inside
 * the Wasm guest every promise costs ~10 µs and two clock reads, and a use once the key is in
 * costs only Web Crypto's own promise.
 */
function previewOnUse(deps: KeyDeps): HmacKey {
  let imported: Later<HmacKey | null> | null = null;
  // The Later is kept before the read starts: a read that fails at once sets it right away.
  const key = (): Later<HmacKey | null> => {
    if (imported !== null) return imported;
    const later = (imported = new Later<HmacKey | null>());
    void readKeys(deps, PREVIEW_SECRET, (read) => later.set(read[0]!));
    return later;
  };
  const withKey = <T>(use: (key: HmacKey) => Promise<T>): Promise<T> => {
    const later = key();
    if (later.done) return later.value ? tried(use, later.value) : Promise.reject(new Error(UNUSABLE));
    return new Promise((resolve, reject) => {
      later.on((read) => (read ? void tried(use, read).then(resolve, reject) : reject(new Error(UNUSABLE))));
    });
  };
  return {
    sign: (data) => withKey((usable) => usable.sign(data)),
    verify: (signature, data) => withKey((usable) => usable.verify(signature, data)),
    prepare: () => void key(),
  };
}

const UNUSABLE = 'secret preview_signing_key missing, unreadable or not importable';

/** `use(key)`, a synchronous throw as a rejection. */
function tried<T>(use: (key: HmacKey) => Promise<T>, key: HmacKey): Promise<T> {
  try {
    return use(key);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * A secret's text: the store may hand over its entry rather than the text (ports.ts), read here
 * once the store has answered. May throw (an unreadable entry); the callers treat that as a
 * missing secret.
 */
export function secretText(value: SecretValue | null): string | null {
  return value === null || typeof value === 'string' ? value : value.plaintext();
}
