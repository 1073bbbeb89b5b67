/**
 * Log endpoint lines in Viceroy's stdout format, `<endpoint> :: <message>`: one trailing newline is
 * dropped and interior newlines are escaped as `\n` so one write is always one line (Viceroy logging.rs).
 */

/** Where finished lines go: stdout by default, an array in tests. */
export type LineSink = (line: string) => void;

export function formatLogLine(endpoint: string, message: string): string {
  const trimmed = message.endsWith('\n') ? message.slice(0, -1) : message;
  return `${endpoint} :: ${trimmed.replaceAll('\n', '\\n')}`;
}

export const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};
