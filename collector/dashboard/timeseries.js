// Time-series charts (uPlot, served from the collector) and the headline numbers for the selected
// window, from a snapshot's `windows` (collector/aggregates/time-series.ts). Gaps (null) are points
// without enough data: no page views, or too few for a percentile.
(function () {
  'use strict';
  var COLORS = { a: '#2563eb', b: '#16a34a', c: '#ea580c', d: '#9333ea', e: '#0891b2', f: '#dc2626', g: '#4b5563' };
  var charts = {};
  var selected = '5m';
  var last = null;

  function pct(v) { return v === null || v === undefined ? '–' : (v * 100).toFixed(1) + '%'; }
  function ms(v) { return v === null || v === undefined ? '–' : v.toFixed(1) + ' ms'; }

  function series(label, stroke, extra) {
    var s = { label: label, stroke: stroke, width: 2, spanGaps: false, points: { show: false } };
    Object.keys(extra || {}).forEach(function (k) { s[k] = extra[k]; });
    return s;
  }

  function draw(id, labels, data, format) {
    var node = document.getElementById(id);
    if (!node || !window.uPlot) return;
    var width = Math.max(280, node.clientWidth || 400);
    var key = labels.map(function (s) { return s.label; }).join('|');
    var chart = charts[id];
    if (chart && chart.key === key && chart.width === width) {
      chart.plot.setData(data);
      return;
    }
    if (chart) chart.plot.destroy();
    var options = {
      width: width, height: 190, legend: { show: true, live: false },
      scales: { x: { time: true } },
      axes: [{ size: 48 }, { size: 60, values: function (u, ticks) { return ticks.map(format); } }],
      series: [{}].concat(labels),
    };
    node.setAttribute('data-points', String(data[0].length));
    charts[id] = { key: key, width: width, plot: new window.uPlot(options, data, node) };
  }

  function render(snapshot) {
    last = snapshot;
    var windows = snapshot.windows;
    if (!windows) return;
    var w = windows[selected];
    var s = w.series;
    var sum = w.summary;
    var seconds = s.t.length * s.stepS;
    document.getElementById('headline-fallback').textContent = pct(sum.fallbackRate);
    document.getElementById('headline-fallback-n').textContent = '(' + sum.fallbacks + ' of ' + sum.pages + ')';
    document.getElementById('headline-pages').textContent = String(sum.pages);
    document.getElementById('headline-rps').textContent = (sum.pages / Math.max(1, seconds)).toFixed(2);
    document.getElementById('headline-ttfb').textContent = ms(sum.ttfb.p95);
    document.getElementById('headline-hit').textContent = pct(sum.pages ? sum.pageHits / sum.pages : null);
    document.getElementById('headline-orders').textContent = String(sum.orders);
    var previews = sum.previewOrders ? ' (+' + sum.previewOrders + ' QA preview, not counted)' : '';
    document.getElementById('headline-revenue').textContent = (sum.orders ? '(£' + sum.revenue.toFixed(2) + ')' : '') + previews;
    document.getElementById('small-sample').hidden = !sum.smallSample;
    document.body.setAttribute('data-selected-window', selected);

    var num = function (v) { return v === null ? '' : String(+v.toFixed(2)); };
    var rate = function (v) { return v === null ? '' : (v * 100).toFixed(0) + '%'; };
    draw('series-rps', [series('req/s', COLORS.a)], [s.t, s.rps], num);
    draw('series-fallback', [series('timeout', COLORS.c), series('error', COLORS.f), series('breaker open', COLORS.d),
      series('skipped: no consent', COLORS.g, { dash: [6, 4] })],
      [s.t, s.causes.timeout, s.causes.error, s.causes.breakerOpen, s.noConsentRate], rate);
    draw('series-ttfb', [series('p50', COLORS.a), series('p95', COLORS.b), series('p99', COLORS.c)], [s.t, s.ttfb.p50, s.ttfb.p95, s.ttfb.p99], num);
    draw('series-total', [series('p50', COLORS.a), series('p95', COLORS.b), series('p99', COLORS.c)], [s.t, s.total.p50, s.total.p95, s.total.p99], num);
    var outcomes = Object.keys(s.fragments);
    var palette = { ok: COLORS.b, alt: COLORS.e, timeout: COLORS.c, error: COLORS.f, skipped: COLORS.d, refused: COLORS.g };
    draw('series-fragments', outcomes.map(function (o) { return series(o, palette[o] || COLORS.g); }),
      [s.t].concat(outcomes.map(function (o) { return s.fragments[o]; })), num);
    draw('series-pagehit', [series('hit ratio', COLORS.b)], [s.t, s.pageHitRatio], rate);
  }

  document.querySelectorAll('[data-window]').forEach(function (button) {
    button.addEventListener('click', function () {
      selected = button.getAttribute('data-window');
      document.querySelectorAll('[data-window]').forEach(function (b) { b.setAttribute('aria-pressed', String(b === button)); });
      if (last) render(last);
    });
  });
  window.addEventListener('resize', function () { if (last) render(last); });

  window.TimeSeries = { render: render };
})();
