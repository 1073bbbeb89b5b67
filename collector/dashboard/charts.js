// Minimal SVG charts for the dashboard: horizontal bars, grouped bars and an interval (forest)
// plot. No dependencies, nothing fetched. Every mark carries data-key/data-value so tests and
// readers can check what is drawn.
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var ROW = 24;
  // Drawn at the container's pixel width, so text keeps its size on wide cards.
  var WIDTH = 520;
  var LABEL = 150;
  var PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#dc2626', '#ca8a04', '#4b5563'];

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The label column fits the longest label (about 7 px a character at 12 px), up to half the width.
  function svg(container, name, height, labels) {
    WIDTH = Math.max(320, Math.round(container.clientWidth || 520));
    var longest = (labels || []).reduce(function (n, label) { return Math.max(n, String(label).length); }, 8);
    LABEL = Math.min(Math.round(WIDTH * 0.5), longest * 7 + 12);
    var root = el('svg', { viewBox: '0 0 ' + WIDTH + ' ' + height, width: WIDTH, height: height, role: 'img', 'data-chart': name, 'aria-label': name });
    container.replaceChildren(root);
    return root;
  }

  // A right-aligned label, shortened with an ellipsis when it cannot fit; the full text is its tooltip.
  function label(text, x, y) {
    var max = Math.max(4, Math.floor((LABEL - 12) / 7));
    var shown = text.length > max ? '…' + text.slice(text.length - max + 1) : text;
    var node = el('text', { x: x, y: y, 'text-anchor': 'end' }, shown);
    node.appendChild(el('title', {}, text));
    return node;
  }

  function empty(container, name) {
    var root = svg(container, name, ROW);
    root.appendChild(el('text', { x: 0, y: 16, class: 'muted' }, 'no data yet'));
  }

  // rows: [{ key, value, label }], value in [0, max]; format(value) for the end label.
  function bars(container, name, rows, options) {
    options = options || {};
    if (rows.length === 0) return empty(container, name);
    var max = options.max || Math.max.apply(null, rows.map(function (r) { return r.value; }).concat([1]));
    var root = svg(container, name, rows.length * ROW + 4, rows.map(function (r) { return r.key; }));
    var span = WIDTH - LABEL - 110;
    rows.forEach(function (row, i) {
      var y = i * ROW + 2;
      var w = Math.max(0, (row.value / max) * span);
      root.appendChild(label(row.key, LABEL - 6, y + 15));
      root.appendChild(el('rect', { x: LABEL, y: y + 3, width: w.toFixed(1), height: ROW - 8, rx: 3,
        fill: PALETTE[i % PALETTE.length], 'data-key': row.key, 'data-value': row.value }));
      root.appendChild(el('text', { x: LABEL + w + 6, y: y + 15, class: 'value' }, row.label !== undefined ? row.label : String(row.value)));
    });
  }

  // groups: [{ key, values: [{ key, value }] }]: one row per group, bars side by side.
  function groupedBars(container, name, groups, seriesKeys) {
    if (groups.length === 0) return empty(container, name);
    var max = 1;
    groups.forEach(function (g) { g.values.forEach(function (v) { if (v.value !== null && v.value > max) max = v.value; }); });
    var bandHeight = seriesKeys.length * 14 + 12;
    var root = svg(container, name, groups.length * bandHeight + 24, groups.map(function (g) { return g.key; }));
    var span = WIDTH - LABEL - 90;
    groups.forEach(function (group, gi) {
      var top = gi * bandHeight;
      root.appendChild(label(group.key, LABEL - 6, top + bandHeight / 2 + 4));
      group.values.forEach(function (v, si) {
        var w = v.value === null ? 0 : (v.value / max) * span;
        var y = top + 4 + si * 14;
        root.appendChild(el('rect', { x: LABEL, y: y, width: w.toFixed(1), height: 11, rx: 2, fill: PALETTE[si % PALETTE.length],
          'data-key': group.key + '/' + v.key, 'data-value': v.value === null ? '' : v.value }));
        root.appendChild(el('text', { x: LABEL + w + 4, y: y + 10, class: 'value small' }, v.key + ' ' + (v.value === null ? '–' : v.value)));
      });
    });
    legend(root, seriesKeys, groups.length * bandHeight + 16);
  }

  function legend(root, keys, y) {
    keys.forEach(function (key, i) {
      root.appendChild(el('rect', { x: LABEL + i * 90, y: y - 9, width: 10, height: 10, fill: PALETTE[i % PALETTE.length] }));
      root.appendChild(el('text', { x: LABEL + i * 90 + 14, y: y, class: 'small' }, key));
    });
  }

  // rows: [{ key, value, low, high }] in [0, 1]: a point with its interval, on a shared axis.
  function intervals(container, name, rows) {
    if (rows.length === 0) return empty(container, name);
    var max = Math.max.apply(null, rows.map(function (r) { return r.high === null ? 0 : r.high; }).concat([0.05]));
    var root = svg(container, name, rows.length * ROW + 24, rows.map(function (r) { return r.key; }));
    var span = WIDTH - LABEL - 70;
    var x = function (v) { return LABEL + (v / max) * span; };
    rows.forEach(function (row, i) {
      var y = i * ROW + 14;
      root.appendChild(label(row.key, LABEL - 6, y + 4));
      if (row.value === null) return;
      root.appendChild(el('line', { x1: x(row.low).toFixed(1), x2: x(row.high).toFixed(1), y1: y, y2: y, class: 'interval' }));
      root.appendChild(el('circle', { cx: x(row.value).toFixed(1), cy: y, r: 5, fill: PALETTE[i % PALETTE.length],
        'data-key': row.key, 'data-value': row.value }));
      root.appendChild(el('text', { x: x(row.high) + 6, y: y + 4, class: 'value small' }, (row.value * 100).toFixed(1) + '%'));
    });
    var axisY = rows.length * ROW + 14;
    [0, max / 2, max].forEach(function (tick) {
      root.appendChild(el('text', { x: x(tick), y: axisY, 'text-anchor': 'middle', class: 'small muted' }, (tick * 100).toFixed(1) + '%'));
    });
  }

  window.Charts = { bars: bars, groupedBars: groupedBars, intervals: intervals };
})();
