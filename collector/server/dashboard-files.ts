/**
 * The dashboard's static files (collector/dashboard), read once at start: a closed map from URL
 * path to file, so no request path ever reaches the file system.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));

/**
 * uPlot (MIT, https://github.com/leeoniya/uPlot) is served from node_modules as published, so
 * the page needs no network and no third-party code is copied into this repository.
 */
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
const VENDOR: Record<string, { file: string; contentType: string }> = {
  '/vendor/uPlot.iife.min.js': { file: join(UPLOT_DIR, 'uPlot.iife.min.js'), contentType: 'text/javascript; charset=utf-8' },
  '/vendor/uPlot.min.css': { file: join(UPLOT_DIR, 'uPlot.min.css'), contentType: 'text/css; charset=utf-8' },
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const FILES: Record<string, { file: string; contentType: string }> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', contentType: 'text/javascript; charset=utf-8' },
  '/charts.js': { file: 'charts.js', contentType: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', contentType: 'text/css; charset=utf-8' },
  '/timeseries.js': { file: 'timeseries.js', contentType: 'text/javascript; charset=utf-8' },
  '/experiments-panel.js': { file: 'experiments-panel.js', contentType: 'text/javascript; charset=utf-8' },
  '/experiments-panel.css': { file: 'experiments-panel.css', contentType: 'text/css; charset=utf-8' },
};

export function loadDashboardFiles(): Map<string, StaticFile> {
  const out = new Map<string, StaticFile>();
  for (const [path, { file, contentType }] of Object.entries(FILES)) out.set(path, { body: readFileSync(DASHBOARD_DIR + file), contentType });
  for (const [path, { file, contentType }] of Object.entries(VENDOR)) out.set(path, { body: readFileSync(file), contentType });
  return out;
}

export function readDashboardFile(
  file: 'index.html' | 'dashboard.js' | 'charts.js' | 'dashboard.css' | 'timeseries.js' | 'experiments-panel.js' | 'experiments-panel.css',
): string {
  return readFileSync(DASHBOARD_DIR + file, 'utf8');
}

/** uPlot's script or stylesheet, for the offline report, which inlines everything. */
export function readVendorFile(path: '/vendor/uPlot.iife.min.js' | '/vendor/uPlot.min.css'): string {
  return readFileSync(VENDOR[path]?.file ?? '', 'utf8');
}
