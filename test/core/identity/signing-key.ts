/** Test HMAC keys for signed cookies. */
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';

export const signingKey = (secret = 'test-cookie-signing-key-0123456789abcdef'): Promise<CryptoKey> => importHmacKey(secret);
