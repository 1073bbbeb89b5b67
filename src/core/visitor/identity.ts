/**
 * Who the visitor is, as far as their consent allows. Consent is the type's tag: only a visitor who
 * grants the `personalization` purpose without `Sec-GPC` (consent.ts) has an id, a session
 * and an analytics choice, so code that wants the id must narrow on `consent` first and cannot
 * forget the gate (docs/contracts.md#cookies-identity-and-consent).
 */
export interface Consented {
  consent: 'granted';
  /** The analytics purpose: the visitor's pseudonym may be logged. */
  analytics: boolean;
  /** From a valid `vid`, or freshly minted; null when the `cookie_signing_key` secret is missing. */
  id: string | null;
  /** `id` was minted on this request: no profile can exist yet, and the `vid` cookie is due. */
  minted: boolean;
  /** Recent categories, most recent first, including this page's; `changed` when a new `sess` is due. */
  session: { categories: readonly string[]; changed: boolean };
}

export interface Unconsented {
  consent: 'denied' | 'gpc';
  /** The visitor still holds `vid`/`sess` but no longer grants personalization: both are expired. */
  withdrawn: boolean;
}

export type Identity = Consented | Unconsented;

/** The visitor id when consent allows one, else null. */
export function consentedId(identity: Identity): string | null {
  return identity.consent === 'granted' ? identity.id : null;
}

/** An id read from a valid `vid`: one that may already have a profile. Never a freshly minted one. */
export function knownId(identity: Identity): string | null {
  return identity.consent === 'granted' && !identity.minted ? identity.id : null;
}

/** The session's categories; none without consent. */
export function sessionCategories(identity: Identity): readonly string[] {
  return identity.consent === 'granted' ? identity.session.categories : [];
}
