/**
 * The offline report as one self-contained HTML file: the live dashboard's own page, scripts and
 * styles inlined, with the snapshot embedded as JSON, so it opens from disk with no server and
 * draws the same charts.
 */
import type { AggregateSnapshot } from '../aggregates/aggregate-snapshot.ts';
import { readDashboardFile, readVendorFile } from '../server/dashboard-files.ts';

export function htmlReport(snapshot: AggregateSnapshot, source: string): string {
  const css = readDashboardFile('dashboard.css');
  const charts = readDashboardFile('charts.js');
  const dashboard = readDashboardFile('dashboard.js');
  const timeseries = readDashboardFile('timeseries.js');
  const panelCss = readDashboardFile('experiments-panel.css');
  const panel = readDashboardFile('experiments-panel.js');
  // `<` is escaped so no value (a path, a reason) can close the script element (HTML §4.12.1.3).
  const data = JSON.stringify(snapshot).replaceAll('<', '\\u003c');
  return readDashboardFile('index.html')
    .replace('<link rel="stylesheet" href="dashboard.css">', () => `<style>\n${css}</style>`)
    .replace('<title>Edge personalization: live analytics</title>', () => `<title>Edge personalization report: ${escapeHtml(source)}</title>`)
    .replace('<script src="charts.js"></script>', () => `<script type="application/json" id="snapshot">${data}</script>\n  <script>\n${inline(charts)}</script>`)
    .replace('<link rel="stylesheet" href="vendor/uPlot.min.css">', () => `<style>\n${readVendorFile('/vendor/uPlot.min.css')}</style>`)
    .replace('<script src="vendor/uPlot.iife.min.js"></script>', () => `<script>\n${inline(readVendorFile('/vendor/uPlot.iife.min.js'))}</script>`)
    .replace('<script src="timeseries.js"></script>', () => `<script>\n${inline(timeseries)}</script>`)
    .replace('<script src="dashboard.js"></script>', () => `<script>\n${inline(dashboard)}</script>`)
    .replace('<link rel="stylesheet" href="experiments-panel.css">', () => `<style>\n${panelCss}</style>`)
    .replace('<script src="experiments-panel.js"></script>', () => `<script>\n${inline(panel)}</script>`);
}

function inline(script: string): string {
  return script.replaceAll('</script', '<\\/script');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
