// Trailhead Supply beacon: reports impressions and clicks of elements carrying data-slot and
// data-item to the edge, as `POST /__beacon` JSON bodies (DESIGN 5.9), via navigator.sendBeacon.
(function () {
  'use strict';
  var seen = new Set();

  function send(type, element) {
    var body = JSON.stringify({
      type: type,
      slot: element.getAttribute('data-slot'),
      item: element.getAttribute('data-item'),
      page: location.pathname,
    });
    var blob = new Blob([body], { type: 'application/json' });
    if (!navigator.sendBeacon || !navigator.sendBeacon('/__beacon', blob)) {
      fetch('/__beacon', { method: 'POST', body: body, headers: { 'content-type': 'application/json' }, keepalive: true }).catch(function () {});
    }
  }

  function tracked(element) {
    return element.closest('[data-slot][data-item]');
  }

  function observe() {
    var elements = document.querySelectorAll('[data-slot][data-item]');
    if (!('IntersectionObserver' in window)) {
      elements.forEach(function (element) { impression(element); });
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && entry.intersectionRatio >= 0.5) {
          impression(entry.target);
          observer.unobserve(entry.target);
        }
      });
    }, { threshold: 0.5 });
    elements.forEach(function (element) { observer.observe(element); });
  }

  function impression(element) {
    var key = element.getAttribute('data-slot') + '|' + element.getAttribute('data-item');
    if (seen.has(key)) return;
    seen.add(key);
    send('impression', element);
  }

  document.addEventListener('click', function (event) {
    var element = event.target instanceof Element ? tracked(event.target) : null;
    if (element) send('click', element);
  }, true);

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', observe);
  else observe();
})();
