/**
 * The argument parser every CLI under scripts/ shares: `node:util` parseArgs in strict mode, so an
 * unknown flag or a missing value is refused instead of silently ignored; `--help` (or `-h`) prints
 * the usage and exits 0; a bad command line is one line on stderr, `<name>: <why>; <usage line>`,
 * and exit code 2.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;
type Config<T extends Options> = { args: string[]; options: T & typeof HELP; strict: true; allowPositionals: true };
export type CliArgs<T extends Options> = ReturnType<typeof parseArgs<Config<T>>>;

export interface CliSpec<T extends Options> {
  /** The command's name, which starts every error line (`edge: …`). */
  name: string;
  /** Usage text; its first line is repeated after an error. */
  usage: string;
  options: T;
  /** How many positional arguments the command takes (default none). */
  positionals?: { min: number; max: number };
}

/** A command line the CLI cannot run; `message` is the whole line to print. */
export class UsageError extends Error {}

/** Parses without exiting, for CLIs that report through their own `main`; null means `--help`. */
export function readArgs<T extends Options>(spec: CliSpec<T>, argv: readonly string[]): CliArgs<T> | null {
  let parsed: CliArgs<T>;
  try {
    parsed = parseArgs<Config<T>>({ args: [...argv], options: { ...spec.options, ...HELP }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(usageLine(spec, parseArgsReason(error)));
  }
  if ((parsed.values as { help?: boolean }).help === true) return null;
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const count = parsed.positionals.length;
  if (count > max) throw new UsageError(usageLine(spec, `unexpected argument "${parsed.positionals[max] ?? ''}"`));
  if (count < min) throw new UsageError(usageLine(spec, 'missing argument'));
  return parsed;
}

/** For a script's top level: `--help` prints the usage and exits 0, a bad command line exits 2. */
export function parseCli<T extends Options>(spec: CliSpec<T>, argv: readonly string[] = process.argv.slice(2)): CliArgs<T> {
  try {
    const parsed = readArgs(spec, argv);
    if (parsed !== null) return parsed;
    console.log(spec.usage);
    process.exit(0);
  } catch (error) {
    if (error instanceof UsageError) exitWith(error.message, 2);
    throw error;
  }
}

/** Prints one line on stderr and exits; `line` already starts with the command's name. */
export function exitWith(line: string, code: number): never {
  console.error(line);
  process.exit(code);
}

/** parseArgs' own message, without the advice it appends after the first sentence. */
function parseArgsReason(error: unknown): string {
  const text = firstLine(error);
  const unknown = /^Unknown option '([^']*)'/.exec(text);
  if (unknown) return `unknown flag ${unknown[1] ?? ''}`;
  return text.split('. ')[0] ?? text;
}

/** `name: why; usage: …` on one line. */
export function usageLine(spec: Pick<CliSpec<Options>, 'name' | 'usage'>, why: string): string {
  return `${spec.name}: ${why}; ${spec.usage.split('\n')[0] ?? ''}`;
}

/** The first line of an error's message (parseArgs adds hints on later lines). */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim() || 'failed';
}
