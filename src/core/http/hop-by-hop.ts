/**
 * Headers that describe one connection, never the message (RFC 9110 §7.6.1). Every hop drops them
 * and re-frames the message itself.
 */
export const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** A proxy passing a request on also drops the credentials meant for itself (RFC 9110 §11.7). */
export const PROXY_HOP_BY_HOP: readonly string[] = [...HOP_BY_HOP, 'proxy-authenticate', 'proxy-authorization'];
