/**
 * The service as bin/main.wasm builds it (src/index.ts, warm-up included), with the RegExp probe
 * (regexp-probe.ts) installed first, so it sees every expression the warm-up and each request run.
 */
import './regexp-probe.ts';
import '../../src/index.ts';
