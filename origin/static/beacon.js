// Trailhead Supply beacon: reports impressions and clicks of elements carrying data-slot and
// data-item, and the conversions (add_to_cart, purchase with a value in pounds), to the edge as
// `POST /__beacon` JSON bodies via navigator.sendBeacon. The page's decision token
// (<body data-decision>) says what the page was rendered with; pages without one (the basket and
// the order confirmation come straight from the origin) use the last token this tab saw.
(function () {
  'use strict';
  var seen = new Set();
  var TOKEN_KEY = 'trailhead.decision';

  function decisionToken() {
    var own = document.body && document.body.getAttribute('data-decision');
    try {
      if (own) sessionStorage.setItem(TOKEN_KEY, own);
      return own || sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (error) {
      return own || '';
    }
  }

  function post(fields) {
    var token = decisionToken();
    if (token) fields.decision = token;
    var body = JSON.stringify(fields);
    var blob = new Blob([body], { type: 'application/json' });
    if (!navigator.sendBeacon || !navigator.sendBeacon('/__beacon', blob)) {
      fetch('/__beacon', { method: 'POST', body: body, headers: { 'content-type': 'application/json' }, keepalive: true }).catch(function () {});
    }
  }

  function send(type, element) {
    post({ type: type, slot: element.getAttribute('data-slot'), item: element.getAttribute('data-item'), page: location.pathname });
  }

  // value: pounds, at most two decimals (the beacon's `value`).
  function conversion(type, slot, item, value) {
    var fields = { type: type, slot: slot, item: item, page: location.pathname };
    var number = Number(value);
    if (value !== null && value !== '' && isFinite(number) && number >= 0) fields.value = Math.round(number * 100) / 100;
    post(fields);
  }

  function tracked(element) {
    return element.closest('[data-slot][data-item]');
  }

  function impression(element) {
    var key = element.getAttribute('data-slot') + '|' + element.getAttribute('data-item');
    if (seen.has(key)) return;
    seen.add(key);
    send('impression', element);
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

  function purchased() {
    var order = document.querySelector('[data-purchase][data-order]');
    if (!order) return;
    var id = order.getAttribute('data-order');
    var key = 'trailhead.purchase.' + id;
    try {
      if (sessionStorage.getItem(key)) return;
      sessionStorage.setItem(key, '1');
    } catch (error) { /* private mode: send anyway */ }
    conversion('purchase', 'checkout', id, order.getAttribute('data-value'));
  }

  document.addEventListener('click', function (event) {
    var element = event.target instanceof Element ? tracked(event.target) : null;
    if (element) send('click', element);
  }, true);

  window.TrailheadBeacon = { conversion: conversion };

  function start() {
    decisionToken();
    observe();
    purchased();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
