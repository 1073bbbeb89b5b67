/**
 * The one error type manifest loading throws: a single line that names the manifest file and the
 * offending key, so `npm run edge` can print it as-is without a stack trace.
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';

  constructor(
    /** The manifest file as the user named it, e.g. `fastly.toml`. */
    readonly file: string,
    /** What is wrong, starting with the dotted key when there is one. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
