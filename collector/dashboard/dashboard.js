// Renders aggregate snapshots (collector/aggregates/aggregate-snapshot.ts) as charts. Live: from
// the collector's Server-Sent Events at /api/stream. Offline report: from the snapshot embedded in
// the page as <script type="application/json" id="snapshot">.
(function () {
  'use strict';
  var C = window.Charts;

  function entries(map) {
    return Object.keys(map).map(function (key) { return { key: key, value: map[key] }; })
      .sort(function (a, b) { return b.value - a.value; });
  }

  function percent(value) {
    return value === null ? '–' : (value * 100).toFixed(1) + '%';
  }

  function text(id, value) {
    document.getElementById(id).textContent = String(value);
  }

  function render(s) {
    text('total-decisions', s.totals.decisions);
    text('total-impressions', s.totals.impressions);
    text('total-clicks', s.totals.clicks);
    text('total-rejected', s.totals.rejected);

    var share = function (map) {
      var total = entries(map).reduce(function (sum, e) { return sum + e.value; }, 0);
      return entries(map).map(function (e) { return { key: e.key, value: e.value, label: e.value + ' (' + percent(total ? e.value / total : null) + ')' }; });
    };
    C.bars(document.getElementById('chart-segments'), 'segments', share(s.segments));
    C.bars(document.getElementById('chart-profile'), 'profile-outcomes', share(s.profileOutcomes));
    C.bars(document.getElementById('chart-cache'), 'cache', ['template', 'fragment', 'page'].map(function (tier) {
      var r = s.cache[tier];
      return { key: tier, value: r.ratio === null ? 0 : r.ratio, label: percent(r.ratio) + ' of ' + r.total };
    }), { max: 1 });

    var latencyGroups = [];
    s.latency.forEach(function (row) {
      ['ttfb', 'total'].forEach(function (metric) {
        // Below 20 samples a percentile is one request's time, not a distribution: not drawn.
        var few = row.count < 20;
        latencyGroups.push({ key: row.pageCache + ' ' + metric + ' (n=' + row.count + (few ? ', too few' : '') + ')', values: ['p50', 'p95', 'p99'].map(function (p) {
          return { key: p, value: few ? null : row[metric][p] };
        }) });
      });
    });
    C.groupedBars(document.getElementById('chart-latency'), 'latency', latencyGroups, ['p50', 'p95', 'p99']);

    C.bars(document.getElementById('chart-fragments'), 'fragments', s.fragments.map(function (f) {
      return { key: f.src, value: f.failureRate, label: percent(f.failureRate) + ' (' + f.failures + '/' + f.total + ')' };
    }), { max: 1 });

    C.intervals(document.getElementById('chart-experiments'), 'experiments', s.experiments.map(function (e) {
      return { key: e.experiment + ':' + e.variant, value: e.ctr === null ? null : Math.min(e.ctr, 1), low: e.ctrLow, high: e.ctrHigh };
    }));
    var body = document.querySelector('#table-experiments tbody');
    body.replaceChildren.apply(body, s.experiments.map(function (e) {
      var tr = document.createElement('tr');
      [e.experiment, e.variant, e.exposures, e.impressions, e.clicks, percent(e.ctr),
        e.ctrLow === null ? '–' : percent(e.ctrLow) + ' – ' + percent(e.ctrHigh)].forEach(function (cell) {
        var td = document.createElement('td');
        td.textContent = String(cell);
        tr.appendChild(td);
      });
      return tr;
    }));
    C.bars(document.getElementById('chart-rejected'), 'rejected', entries(s.rejected));
    var all = s.windows ? s.windows.all.summary : null;
    C.bars(document.getElementById('chart-profile-writes'), 'profile-writes', all ? share(all.profileWrites) : []);
    breakdowns(s.breakdowns);
    if (window.TimeSeries) window.TimeSeries.render(s);
  }

  function cell(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = String(value);
    if (className) node.className = className;
    return node;
  }

  function breakdowns(data) {
    var root = document.getElementById('breakdowns');
    if (!data) return;
    var titles = { pop: 'POP', device: 'Device', geo: 'Geo region' };
    root.replaceChildren.apply(root, Object.keys(titles).map(function (dimension) {
      var table = document.createElement('table');
      table.className = 'table table--compact';
      table.setAttribute('data-breakdown', dimension);
      var head = document.createElement('tr');
      [titles[dimension], 'page views', 'fallback rate', 'TTFB p95'].forEach(function (h) { head.appendChild(cell('th', h)); });
      table.appendChild(head);
      data[dimension].forEach(function (row) {
        var tr = document.createElement('tr');
        tr.setAttribute('data-key', row.key);
        tr.appendChild(cell('td', row.key));
        tr.appendChild(cell('td', row.pages));
        tr.appendChild(cell('td', percent(row.fallbackRate)));
        tr.appendChild(cell('td', row.ttfbP95 === null ? 'n < 20' : row.ttfbP95.toFixed(1) + ' ms', row.ttfbP95 === null ? 'muted' : ''));
        table.appendChild(tr);
      });
      return table;
    }));
  }

  function status(state, message) {
    var node = document.getElementById('status');
    node.setAttribute('data-state', state);
    node.textContent = message;
  }

  var embedded = document.getElementById('snapshot');
  if (embedded) {
    var snapshot = JSON.parse(embedded.textContent);
    render(snapshot);
    status('offline', 'report' + (snapshot.lastEventTs ? ' up to ' + snapshot.lastEventTs : ''));
    return;
  }
  var source = new EventSource('api/stream');
  source.addEventListener('snapshot', function (event) {
    render(JSON.parse(event.data));
    status('live', 'live, updated ' + new Date().toLocaleTimeString());
  });
  source.onerror = function () { status('reconnecting', 'reconnecting…'); };
})();
