// The experiments panel: per experiment and variant, enrolled and exposed visitors, per-visitor
// rates with 95% intervals, lift against control with its interval and p-value, and a loud
// sample-ratio-mismatch warning. Polls GET /api/experiments (collector/experiments), so it stays
// independent of the aggregate stream the rest of the dashboard listens to. Text only
// (textContent), never markup from the data.
(function () {
  'use strict';
  var REFRESH_MS = 3000;
  var METRICS = [['clickThrough', 'click-through'], ['addToCart', 'add to cart'], ['purchase', 'purchase']];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function pct(value) {
    return value === null || value === undefined ? '–' : (value * 100).toFixed(1) + '%';
  }

  function signedPct(value) {
    return value === null ? '–' : (value >= 0 ? '+' : '') + (value * 100).toFixed(1) + '%';
  }

  function pValue(p) {
    if (p === null) return '–';
    return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
  }

  function verdict(lift) {
    if (!lift || lift.pValue === null || lift.pValue >= 0.05 || lift.low === null) return 'xp-flat';
    return lift.low > 0 ? 'xp-up' : lift.high < 0 ? 'xp-down' : 'xp-flat';
  }

  function srmBanner(experiment) {
    var srm = experiment.srm;
    if (!srm.mismatch) {
      var ok = srm.pValue === null ? 'SRM check: not enough visitors yet' : 'SRM check passed (p = ' + pValue(srm.pValue) + ')';
      return el('p', 'xp-srm-ok', ok);
    }
    var banner = el('div', 'xp-srm');
    banner.setAttribute('role', 'alert');
    banner.appendChild(el('strong', '', '⚠ Sample ratio mismatch (p = ' + pValue(srm.pValue) + ')'));
    banner.appendChild(el('span', '', ' Enrolled visitors do not match the configured weights: assignment or logging is broken. Do not trust this experiment\'s lift until it is fixed.'));
    return banner;
  }

  function headerRow() {
    var row = el('tr');
    ['variant', 'weight', 'enrolled', 'exposed', 'clicks', 'carts', 'purchases'].forEach(function (h) { row.appendChild(el('th', '', h)); });
    METRICS.forEach(function (m) { row.appendChild(el('th', 'xp-metric', m[1] + ': rate [95% CI] · lift [95% CI] · p')); });
    return row;
  }

  function metricCell(metric) {
    var cell = el('td', 'xp-metric');
    cell.appendChild(el('span', 'xp-rate', pct(metric.rate) + ' [' + pct(metric.low) + ', ' + pct(metric.high) + ']'));
    if (metric.lift) {
      var lift = metric.lift;
      var text = signedPct(lift.relative) + ' [' + signedPct(lift.low) + ', ' + signedPct(lift.high) + '] · p ' + pValue(lift.pValue);
      cell.appendChild(el('span', 'xp-lift ' + verdict(lift), text));
    } else {
      cell.appendChild(el('span', 'xp-lift xp-baseline', 'control (baseline)'));
    }
    return cell;
  }

  function variantRow(variant) {
    var row = el('tr');
    [variant.id, variant.weight, variant.enrolled, variant.exposed, variant.clicks, variant.addToCart, variant.purchases].forEach(function (v) { row.appendChild(el('td', '', v)); });
    METRICS.forEach(function (m) { row.appendChild(metricCell(variant.metrics[m[0]])); });
    return row;
  }

  function experimentBlock(experiment) {
    var block = el('article', 'xp-experiment' + (experiment.srm.mismatch ? ' xp-experiment--srm' : ''));
    var title = el('h3', '', experiment.id);
    title.appendChild(el('span', 'xp-slots', ' clicks counted in: ' + (experiment.slots.length ? experiment.slots.join(', ') : 'no slot configured')));
    block.appendChild(title);
    block.appendChild(srmBanner(experiment));
    var table = el('table', 'table xp-table');
    var head = el('thead');
    head.appendChild(headerRow());
    var body = el('tbody');
    experiment.variants.forEach(function (v) { body.appendChild(variantRow(v)); });
    table.appendChild(head);
    table.appendChild(body);
    block.appendChild(table);
    if (experiment.mixedVisitors > 0) block.appendChild(el('p', 'xp-note', experiment.mixedVisitors + ' visitors seen in more than one variant are left out.'));
    return block;
  }

  function render(root, doc) {
    var blocks = doc.experiments.map(experimentBlock);
    root.replaceChildren.apply(root, blocks.length ? blocks : [el('p', 'xp-note', 'No experiments configured.')]);
  }

  function start() {
    // The dashboard leaves an empty container; the panel fills in its own heading and body.
    var container = document.getElementById('experiments-panel');
    if (!container) return;
    var root = el('div');
    root.id = 'experiments-panel-body';
    container.replaceChildren(el('h2', '', 'Experiment results (per visitor): rates, lift against control, p-values and SRM'), root);
    // The offline report (collector/report) embeds a snapshot and has no collector to poll.
    if (document.getElementById('snapshot') || !window.fetch) {
      root.replaceChildren(el('p', 'xp-note', 'Experiment results are live only: open the collector dashboard (GET /api/experiments).'));
      return;
    }
    var refresh = function () {
      fetch('api/experiments', { cache: 'no-store' })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(new Error(String(response.status))); })
        .then(function (doc) { render(root, doc); root.removeAttribute('data-stale'); })
        .catch(function () { root.setAttribute('data-stale', 'true'); })
        .then(function () { setTimeout(refresh, REFRESH_MS); });
    };
    refresh();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
