/**
 * The service's HMAC keys from the secret store: `cookie_signing_key` (the `vid` and `sess`
 * cookies), `log_hash_key` (pseudonyms) and `preview_signing_key` (`$(DECISION)` tokens and QA
 * preview links). The three secrets are read at once; each key is imported only when a request
 * needs it: the cookie and log keys once the visitor is known to consent (`identityKeys`, both in
 * one wait), the preview key on its first use. Inside the Wasm guest an import costs a native call
 * and a few promises (~10 µs each), and a visitor without consent needs neither identity key.
 * A secret that cannot be read, is empty or fails to import disables its key alone.
 */
import type { Deps, HmacKey, SecretKey } from '../ports.ts';

export interface IdentityKeys {
  signingKey: HmacKey | null;
  logKey: HmacKey | null;
}

export interface ServiceKeys {
  /** Imports the cookie and log keys on the first call; later calls answer the same promise. Never rejects. */
  identityKeys: () => Promise<IdentityKeys>;
  /** What `identityKeys` answered, once it has; both null before (and for a visitor who never needed them). */
  identity: IdentityKeys;
  /** Whether the log secret is there at all (a visitor without consent never imports its key). */
  hasLogSecret: boolean;
  /** Signs and checks `$(DECISION)` tokens and preview links; null when the secret is missing. */
  previewKey: HmacKey | null;
}

type KeyDeps = Pick<Deps, 'secret' | 'crypto'>;

const NO_KEYS: IdentityKeys = Object.freeze({ signingKey: null, logKey: null });

export async function readServiceKeys(deps: KeyDeps): Promise<ServiceKeys> {
  // The three secrets under one await, inline: inside the guest each async call and await costs
  // ~10 µs. On any failure each is read again on its own, which a healthy store never reaches.
  let secrets: Array<string | null>;
  try {
    secrets = await Promise.all([deps.secret('cookie_signing_key'), deps.secret('log_hash_key'), deps.secret('preview_signing_key')]);
  } catch {
    secrets = await Promise.all([readSecret(deps, 'cookie_signing_key'), readSecret(deps, 'log_hash_key'), readSecret(deps, 'preview_signing_key')]);
  }
  const signing = secrets[0] || null;
  const log = secrets[1] || null;
  const preview = secrets[2] || null;
  let imported: Promise<IdentityKeys> | null = null;
  const keys: ServiceKeys = {
    identityKeys: () => (imported ??= importIdentity(deps, signing, log, keys)),
    identity: NO_KEYS,
    hasLogSecret: log !== null,
    previewKey: preview === null ? null : importedOnUse(deps, preview),
  };
  return keys;
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
function importIdentity(deps: KeyDeps, signing: string | null, log: string | null, into: ServiceKeys): Promise<IdentityKeys> {
  const remember = (keys: IdentityKeys): IdentityKeys => (into.identity = keys);
  try {
    const both = Promise.all([signing === null ? null : deps.crypto.hmacKey(signing), log === null ? null : deps.crypto.hmacKey(log)]);
    return both.then((keys) => remember({ signingKey: keys[0], logKey: keys[1] }), () => importEachSafely(deps, signing, log).then(remember));
  } catch {
    return importEachSafely(deps, signing, log).then(remember);
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
 * A key imported on its first use: most pages never check a preview link, and a page that renders
 * no `$(DECISION)` signs nothing. A key that fails to import fails each use, which every caller
 * treats as an invalid or missing token.
 */
function importedOnUse(deps: KeyDeps, secret: string): HmacKey {
  let imported: Promise<HmacKey> | null = null;
  const key = (): Promise<HmacKey> => (imported ??= deps.crypto.hmacKey(secret));
  // Reactions, not async wrappers: one promise fewer per use (~10 µs each in the guest).
  return {
    sign: (data) => key().then((imported) => imported.sign(data)),
    verify: (signature, data) => key().then((imported) => imported.verify(signature, data)),
  };
}
