/** Test HMAC keys for signed cookies. */
import { importHmacKey } from '../../../src/core/log/pseudonym.ts';
import type { HmacKey } from '../../../src/core/ports.ts';

export const signingKey = (secret = 'test-cookie-signing-key-0123456789abcdef'): Promise<HmacKey> => importHmacKey(secret);
