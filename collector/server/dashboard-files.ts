/**
 * The dashboard's static files (collector/dashboard), read once at start: a closed map from URL
 * path to file, so no request path ever reaches the file system.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const FILES: Record<string, { file: string; contentType: string }> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', contentType: 'text/javascript; charset=utf-8' },
  '/charts.js': { file: 'charts.js', contentType: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', contentType: 'text/css; charset=utf-8' },
  '/experiments-panel.js': { file: 'experiments-panel.js', contentType: 'text/javascript; charset=utf-8' },
  '/experiments-panel.css': { file: 'experiments-panel.css', contentType: 'text/css; charset=utf-8' },
};

export function loadDashboardFiles(): Map<string, StaticFile> {
  const out = new Map<string, StaticFile>();
  for (const [path, { file, contentType }] of Object.entries(FILES)) out.set(path, { body: readFileSync(DASHBOARD_DIR + file), contentType });
  return out;
}

export function readDashboardFile(file: 'index.html' | 'dashboard.js' | 'charts.js' | 'dashboard.css' | 'experiments-panel.js' | 'experiments-panel.css'): string {
  return readFileSync(DASHBOARD_DIR + file, 'utf8');
}
