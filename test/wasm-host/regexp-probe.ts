/// <reference types="@fastly/js-compute" />
/**
 * Imported before the service (regexp-probe-guest.ts): wraps `RegExp.prototype.exec`, which `test`,
 * `replace`, `match`, `matchAll`, `search` and `split` call once it is replaced, and remembers each
 * expression by source, flags and the width of the text it ran on (SpiderMonkey compiles an
 * expression's code on its first run, apart for one-byte and two-byte strings). What the build-time
 * warm-up ran stays in the snapshot; an expression a request runs first is written to stdout as
 * `regexp-first <source> <flags> <width>`. A request carrying `x-regexp-probe` writes how many the
 * warm-up ran (`regexp-seen N`) and runs one expression nothing else does, so a test can see the
 * probe at work. The key stands for the engine's cache of compiled expressions, which is per source
 * and flags, and per string width.
 */
const exec = RegExp.prototype.exec;
/** Run through the original `exec`, so the probe never reports itself. */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;
const seen = new Set<string>();
let inRequest = false;

RegExp.prototype.exec = function probedExec(this: RegExp, input: string): RegExpExecArray | null {
  const text = String(input);
  const width = exec.call(BEYOND_LATIN1, text) === null ? 'one-byte' : 'two-byte';
  const key = `${this.source} ${this.flags || '-'} ${width}`;
  if (!seen.has(key)) {
    seen.add(key);
    if (inRequest) console.log(`regexp-first ${key}`);
  }
  return exec.call(this, text);
};

type FetchListener = (event: FetchEvent) => void;
const addListener = globalThis.addEventListener as (type: 'fetch', listener: FetchListener) => void;
(globalThis as unknown as { addEventListener: typeof addListener }).addEventListener = (type, listener) =>
  addListener(type, (event) => {
    inRequest = true;
    if (event.request.headers.get('x-regexp-probe') !== null) {
      console.log(`regexp-seen ${seen.size}`);
      new RegExp('regexp-probe-control').test('control');
    }
    listener(event);
  });
