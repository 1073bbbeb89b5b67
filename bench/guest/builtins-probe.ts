/// <reference types="@fastly/js-compute" />
/**
 * Which builtins run natively inside the guest and which run as SpiderMonkey's self-hosted
 * JavaScript (interpreted there, as our own code is). Each row times a builtin on the sizes a demo
 * page sees and, beside it, a native form of the same work, in µs per call: `vCpuTime()` around
 * `REPS` calls, the best of `ROUNDS` rounds, less an empty call's cost. Run with
 * `npx tsx bench/wasm-builtins.ts` (it builds this guest and prints the table).
 */
import { vCpuTime } from 'fastly:compute';

const REPS = 200;
const ROUNDS = 5;

function bytesOf(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + (i >> 7)) & 0x7f;
  return out;
}

const CHUNK = bytesOf(7300);
const SMALL = bytesOf(300);
const NUMBERS = Array.from({ length: 20 }, (_, i) => (i * 7919) % 101);
const WORDS = NUMBERS.map((n) => `item-${n}`);
const RECORD: Record<string, string> = Object.fromEntries(WORDS.slice(0, 8).map((w, i) => [w, String(i)]));
const TEXT = WORDS.join(', ');
const MAP = new Map(WORDS.map((w, i) => [w, i]));
const UTF8 = new TextDecoder();
let sink: unknown;

function perCall(work: () => unknown): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = vCpuTime();
    for (let i = 0; i < REPS; i++) sink = work();
    best = Math.min(best, vCpuTime() - t0);
  }
  return best / REPS;
}

const ROWS: [string, () => unknown][] = [
  ['(empty call)', () => 0],
  ['u8 7.3 KB slice()', () => CHUNK.slice(100, 7200)],
  ['u8 7.3 KB new Uint8Array(view)', () => new Uint8Array(CHUNK.subarray(100, 7200))],
  ['u8 7.3 KB new Uint8Array(buffer,off,len) copy', () => new Uint8Array(new Uint8Array(CHUNK.buffer, 100, 7100))],
  ['u8 7.3 KB new Uint8Array(n) + set(view)', () => { const o = new Uint8Array(7100); o.set(new Uint8Array(CHUNK.buffer, 100, 7100)); return o; }],
  ['u8 300 B slice()', () => SMALL.slice(10)],
  ['u8 300 B new Uint8Array(view ctor)', () => new Uint8Array(new Uint8Array(SMALL.buffer, 10, 290))],
  ['u8 subarray()', () => CHUNK.subarray(100, 7200)],
  ['u8 new Uint8Array(buffer,off,len)', () => new Uint8Array(CHUNK.buffer, 100, 7100)],
  ['u8 300 B copyWithin', () => SMALL.copyWithin(0, 10, 200)],
  ['u8 300 B fill(0)', () => SMALL.fill(0, 10, 200)],
  ['u8 set(array of 20 numbers)', () => SMALL.set(NUMBERS, 0)],
  ['u8 set(typed view of 20)', () => SMALL.set(new Uint8Array(CHUNK.buffer, 0, 20), 0)],
  ['u8 7.3 KB TextDecoder.decode', () => UTF8.decode(CHUNK)],
  ['u8 7.3 KB fill(0)', () => CHUNK.fill(0, 7000)],
  ['u8 7.3 KB indexOf(absent)', () => CHUNK.indexOf(0xff)],
  ['u8 7.3 KB includes(absent)', () => CHUNK.includes(0xff)],
  ['array(20) map', () => NUMBERS.map((n) => n + 1)],
  ['array(20) for loop push', () => { const o: number[] = []; for (let i = 0; i < NUMBERS.length; i++) o.push(NUMBERS[i]! + 1); return o; }],
  ['array(20) filter', () => NUMBERS.filter((n) => n > 50)],
  ['array(20) forEach', () => { let s = 0; NUMBERS.forEach((n) => (s += n)); return s; }],
  ['array(20) for…of', () => { let s = 0; for (const n of NUMBERS) s += n; return s; }],
  ['array(20) index loop', () => { let s = 0; for (let i = 0; i < NUMBERS.length; i++) s += NUMBERS[i]!; return s; }],
  ['array(20) find (last)', () => NUMBERS.find((n) => n === NUMBERS[19])],
  ['array(20) indexOf', () => NUMBERS.indexOf(NUMBERS[19]!)],
  ['array(20) includes', () => NUMBERS.includes(NUMBERS[19]!)],
  ['array(20) join', () => WORDS.join(',')],
  ['array(20) slice', () => NUMBERS.slice(2)],
  ['array(20) concat', () => NUMBERS.concat(NUMBERS)],
  ['array(20) spread [...a]', () => [...NUMBERS]],
  ['array(20) sort copy by fn', () => NUMBERS.slice().sort((a, b) => a - b)],
  ['Array.from(20)', () => Array.from(NUMBERS)],
  ['Object.entries(8)', () => Object.entries(RECORD)],
  ['Object.keys(8)', () => Object.keys(RECORD)],
  ['for…in (8)', () => { let s = 0; for (const k in RECORD) s += k.length; return s; }],
  ['Map(20) for…of', () => { let s = 0; for (const [, v] of MAP) s += v; return s; }],
  ['Map(20) forEach', () => { let s = 0; MAP.forEach((v) => (s += v)); return s; }],
  ['str padStart(8)', () => '42'.padStart(8, '0')],
  ['str split(",")', () => TEXT.split(',')],
  ['str split(/,\\s*/)', () => TEXT.split(/,\s*/)],
  ['str replaceAll("-","_")', () => TEXT.replaceAll('-', '_')],
  ['str split("-").join("_")', () => TEXT.split('-').join('_')],
  ['str replace(/-/g,"_")', () => TEXT.replace(/-/g, '_')],
  ['str indexOf', () => TEXT.indexOf('item-9')],
  ['str slice', () => TEXT.slice(3, 60)],
  ['str startsWith', () => TEXT.startsWith('item-')],
  ['str trim', () => ' a b '.trim()],
  ['str toLowerCase', () => 'Content-Type'.toLowerCase()],
  ['str includes', () => TEXT.includes('item-9')],
  ['str repeat', () => 'ab'.repeat(10)],
  ['str at / charCodeAt', () => TEXT.charCodeAt(5)],
  ['JSON.stringify(8)', () => JSON.stringify(RECORD)],
  ['Object spread {...o}', () => ({ ...RECORD })],
  ['Object.assign({}, o)', () => Object.assign({}, RECORD)],
  ['Promise.resolve().then', () => Promise.resolve(1).then((v) => v)],
];

addEventListener('fetch', (event) => {
  const out: Record<string, number> = {};
  for (const [, work] of ROWS) perCall(work);
  const empty = perCall(ROWS[0]![1]);
  for (const [name, work] of ROWS) out[name] = Math.round((perCall(work) - empty) * 100) / 100;
  void sink;
  event.respondWith(new Response(JSON.stringify(out), { headers: { 'content-type': 'application/json' } }));
});
