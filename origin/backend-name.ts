/** The three origin backends of docs/contracts.md#names, served by the local origin on consecutive ports. */
export const BACKEND_NAMES = ['templates', 'profiles', 'fragments'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];

export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}
