import { describe, expect, it } from 'vitest';
import { readServiceKeys } from '../../../src/core/crypto/service-keys.ts';
import { webCrypto } from '../../../src/core/crypto/web-crypto.ts';
import type { CryptoPort, Deps, SecretKey, SecretValue } from '../../../src/core/ports.ts';

/** A store entry as Fastly's SecretStore hands it over: its text read by `plaintext()`. */
const entry = (text: string): SecretValue => ({ plaintext: () => text });
const UNREADABLE_ENTRY: SecretValue = { plaintext: () => { throw new Error('entry unreadable'); } };

const SECRETS: Record<SecretKey, string> = { cookie_signing_key: 'cookie-secret', log_hash_key: 'log-secret', preview_signing_key: 'preview-secret' };

/** A secret store and a crypto port that count what they are asked. */
function keyDeps(options: { secrets?: Partial<Record<SecretKey, SecretValue | null>>; unreadable?: SecretKey; failImport?: string } = {}) {
  const imports: string[] = [];
  const reads: string[] = [];
  const crypto: CryptoPort = {
    hmacKey(secret) {
      imports.push(secret);
      return secret === options.failImport ? Promise.reject(new Error('import failed')) : webCrypto.hmacKey(secret);
    },
    sha256: webCrypto.sha256,
  };
  const secret: Deps['secret'] = (name) => {
    reads.push(name);
    const value = options.secrets && name in options.secrets ? options.secrets[name] : SECRETS[name];
    return name === options.unreadable ? Promise.reject(new Error('store down')) : Promise.resolve(value ?? null);
  };
  return { deps: { secret, crypto }, imports, reads };
}

/** A crypto port with its own import (as Web Crypto's), recording each secret imported; `failing` fails to import. */
function ownImportPort(imports: string[], failing?: string): CryptoPort {
  return {
    hmacKey: () => Promise.reject(new Error('not used when the port offers its own import')),
    hmacImport(secret) {
      imports.push(secret);
      return secret === failing ? Promise.reject(new Error('import failed')) : webCrypto.hmacImport!(secret);
    },
    hmacOf: webCrypto.hmacOf!,
    sha256: webCrypto.sha256,
  };
}

describe('readServiceKeys', () => {
  it('reads no secret and imports no key until one is asked for', () => {
    const { deps, imports, reads } = keyDeps();
    const keys = readServiceKeys(deps);
    expect(reads).toEqual([]);
    expect(imports).toEqual([]);
    expect(keys.identity).toEqual({ signingKey: null, logKey: null });
  });

  it('reads the cookie and log secrets alone when the identity keys are asked for', async () => {
    const { deps, reads } = keyDeps();
    await readServiceKeys(deps).identityKeys();
    expect(reads.sort()).toEqual(['cookie_signing_key', 'log_hash_key']);
  });

  it('reads the preview secret alone, once, on the preview key\'s first use', async () => {
    const { deps, reads } = keyDeps();
    const keys = readServiceKeys(deps);
    await keys.previewKey.sign(new TextEncoder().encode('x'));
    await keys.previewKey.verify(new Uint8Array(32), new TextEncoder().encode('x'));
    expect(reads).toEqual(['preview_signing_key']);
  });

  it('imports the cookie and log keys once, however often they are asked for', async () => {
    const { deps, imports } = keyDeps();
    const keys = readServiceKeys(deps);
    const [first, second] = await Promise.all([keys.identityKeys(), keys.identityKeys()]);
    expect(first).toBe(second);
    expect(keys.identity).toBe(first);
    expect(imports.sort()).toEqual(['cookie-secret', 'log-secret']);
    const mac = await first.signingKey!.sign(new TextEncoder().encode('u1'));
    expect(mac).toEqual(await (await webCrypto.hmacKey('cookie-secret')).sign(new TextEncoder().encode('u1')));
  });

  it('imports the preview key on its first use only', async () => {
    const { deps, imports } = keyDeps();
    const keys = readServiceKeys(deps);
    await keys.previewKey.sign(new TextEncoder().encode('x'));
    await keys.previewKey.sign(new TextEncoder().encode('y'));
    expect(imports).toEqual(['preview-secret']);
  });

  it('reads and imports the preview key once for uses that wait on it together, and signs for each', async () => {
    const { deps, imports, reads } = keyDeps();
    const keys = readServiceKeys(deps);
    const data = new TextEncoder().encode('x');
    const [first, second, valid] = await Promise.all([keys.previewKey.sign(data), keys.previewKey.sign(data), keys.previewKey.verify(new Uint8Array(32), data)]);
    expect(reads).toEqual(['preview_signing_key']);
    expect(imports).toEqual(['preview-secret']);
    expect(first).toEqual(await (await webCrypto.hmacKey('preview-secret')).sign(data));
    expect(second).toEqual(first);
    expect(valid).toBe(false);
  });

  it('reads and imports the preview key once when prepared, before and during its uses', async () => {
    const { deps, imports, reads } = keyDeps();
    const keys = readServiceKeys(deps);
    keys.previewKey.prepare!();
    expect(reads).toEqual(['preview_signing_key']);
    const data = new TextEncoder().encode('x');
    const pending = keys.previewKey.sign(data);
    keys.previewKey.prepare!();
    expect(await pending).toEqual(await (await webCrypto.hmacKey('preview-secret')).sign(data));
    keys.previewKey.prepare!();
    await keys.previewKey.verify(new Uint8Array(32), data);
    expect(reads).toEqual(['preview_signing_key']);
    expect(imports).toEqual(['preview-secret']);
  });

  it.each([
    { name: 'missing', secrets: { preview_signing_key: null } },
    { name: 'unreadable', unreadable: 'preview_signing_key' as const },
    { name: 'not importable', failImport: 'preview-secret' },
  ])('fails the uses of a prepared preview key whose secret is $name, without reading it again', async ({ secrets, unreadable, failImport }) => {
    const { deps, reads } = keyDeps({ secrets, unreadable, failImport });
    const keys = readServiceKeys(deps);
    keys.previewKey.prepare!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    keys.previewKey.prepare!();
    await expect(keys.previewKey.sign(new TextEncoder().encode('x'))).rejects.toThrow();
    expect(reads).toEqual(['preview_signing_key']);
  });

  it('fails every use of a preview key whose secret is missing, reading it once', async () => {
    const { deps, reads } = keyDeps({ secrets: { preview_signing_key: null } });
    const keys = readServiceKeys(deps);
    const data = new TextEncoder().encode('x');
    const uses = [keys.previewKey.sign(data), keys.previewKey.verify(new Uint8Array(32), data)];
    await expect(uses[0]).rejects.toThrow();
    await expect(uses[1]).rejects.toThrow();
    await expect(keys.previewKey.sign(data)).rejects.toThrow();
    expect(reads).toEqual(['preview_signing_key']);
  });

  it.each([
    { name: 'missing', secrets: { log_hash_key: null } },
    { name: 'empty', secrets: { log_hash_key: '' } },
    { name: 'unreadable', unreadable: 'log_hash_key' as const },
    { name: 'an empty entry', secrets: { log_hash_key: entry('') } },
    { name: 'an entry whose text cannot be read', secrets: { log_hash_key: UNREADABLE_ENTRY } },
  ])('disables the log key alone when its secret is $name', async ({ secrets, unreadable }) => {
    const { deps } = keyDeps({ secrets, unreadable });
    const keys = readServiceKeys(deps);
    const identity = await keys.identityKeys();
    expect(identity.logKey).toBeNull();
    expect(identity.signingKey).not.toBeNull();
    expect((await keys.previewKey.sign(new TextEncoder().encode('x'))).byteLength).toBe(32);
  });

  it('imports each key from a store entry as from its text', async () => {
    const { deps, imports } = keyDeps({ secrets: { cookie_signing_key: entry('cookie-secret'), log_hash_key: entry('log-secret'), preview_signing_key: entry('preview-secret') } });
    const keys = readServiceKeys(deps);
    const identity = await keys.identityKeys();
    await keys.previewKey.sign(new TextEncoder().encode('x'));
    expect(imports.sort()).toEqual(['cookie-secret', 'log-secret', 'preview-secret']);
    expect(identity.signingKey).not.toBeNull();
    expect(identity.logKey).not.toBeNull();
  });

  it('disables a key that fails to import alone, never rejecting', async () => {
    const { deps } = keyDeps({ failImport: 'cookie-secret' });
    const identity = await readServiceKeys(deps).identityKeys();
    expect(identity.signingKey).toBeNull();
    expect(identity.logKey).not.toBeNull();
  });

  it('imports the identity keys with the port\'s own import when it offers one, disabling a key whose import fails alone', async () => {
    const imports: string[] = [];
    const crypto = ownImportPort(imports, 'log-secret');
    const { deps } = keyDeps();
    const keys = readServiceKeys({ secret: deps.secret, crypto });
    const identity = await keys.identityKeys();
    expect(imports).toEqual(['cookie-secret', 'log-secret']);
    expect(identity.logKey).toBeNull();
    expect(keys.identity).toBe(identity);
    const data = new TextEncoder().encode('u1');
    expect(await identity.signingKey!.sign(data)).toEqual(await (await webCrypto.hmacKey('cookie-secret')).sign(data));
  });

  it.each([
    { name: 'succeeds', fails: false },
    { name: 'fails', fails: true },
  ])('imports the preview key with the port\'s own import when it offers one (the import $name)', async ({ fails }) => {
    const imports: string[] = [];
    const crypto: CryptoPort = {
      hmacKey: () => Promise.reject(new Error('not used when the port offers its own import')),
      hmacImport(secret) {
        imports.push(secret);
        return fails ? Promise.reject(new Error('import failed')) : webCrypto.hmacImport!(secret);
      },
      hmacOf: webCrypto.hmacOf!,
      sha256: webCrypto.sha256,
    };
    const { deps, reads } = keyDeps();
    const keys = readServiceKeys({ secret: deps.secret, crypto });
    keys.previewKey.prepare!();
    const data = new TextEncoder().encode('{"v":1}');
    const signed = keys.previewKey.sign(data);
    if (fails) await expect(signed).rejects.toThrow();
    else expect(await signed).toEqual(await (await webCrypto.hmacKey('preview-secret')).sign(data));
    expect(imports).toEqual(['preview-secret']);
    expect(reads).toEqual(['preview_signing_key']);
  });

  it.each([
    { name: 'missing', secrets: { preview_signing_key: null } },
    { name: 'unreadable', unreadable: 'preview_signing_key' as const },
    { name: 'an entry whose text cannot be read', secrets: { preview_signing_key: UNREADABLE_ENTRY } },
  ])('fails each use of the preview key when its secret is $name', async ({ secrets, unreadable }) => {
    const { deps } = keyDeps({ secrets, unreadable });
    const keys = readServiceKeys(deps);
    await expect(keys.previewKey.sign(new TextEncoder().encode('x'))).rejects.toThrow();
    await expect(keys.previewKey.verify(new Uint8Array(32), new TextEncoder().encode('x'))).rejects.toThrow();
  });
});
