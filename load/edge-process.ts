/**
 * Runs the Node-host edge in a child process (`node --import tsx scripts/edge.ts`), so its memory
 * can be measured apart from the load generator's: resident set size sampled from
 * /proc/<pid>/status (VmRSS, and the kernel's own peak, VmHWM) on Linux, `ps` elsewhere.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface EdgeProcess {
  url: string;
  pid: number;
  /** Highest RSS seen so far, bytes (sampled every `sampleMs`, and VmHWM where available). */
  peakRssBytes(): number;
  stop(): Promise<void>;
}

export async function startEdgeProcess(manifestPath: string, sampleMs = 100): Promise<EdgeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/edge.ts', '--manifest', manifestPath, '--addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await listeningUrl(child);
  const pid = child.pid ?? 0;
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, rssBytes(pid));
  };
  const timer = setInterval(sample, sampleMs);
  return {
    url,
    pid,
    peakRssBytes: () => {
      sample();
      return peak;
    },
    stop: async () => {
      clearInterval(timer);
      sample();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The URL the edge prints once it listens; its later lines (log endpoint events) are drained. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error('edge child has no stdout'));
    const lines = createInterface({ input: child.stdout });
    let found = false;
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (!found && match?.[1]) {
        found = true;
        resolve(match[1].replace(/\/$/, ''));
      }
    });
    child.once('exit', (code) => {
      if (!found) reject(new Error(`edge exited with ${code ?? 'a signal'} before listening`));
    });
  });
}

function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return Math.max(kib('VmRSS'), kib('VmHWM')) * 1024;
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
    } catch {
      return 0;
    }
  }
}
