// Trailhead Supply page script: the consent banner, the basket badge and basket actions without a
// page load. Every feature also works without it: the banner and the basket are plain forms the
// origin answers.
(function () {
  'use strict';
  var YEAR_S = 365 * 24 * 3600;

  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|;\\s*)' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : null;
  }

  // --- consent -------------------------------------------------------------------------------
  var banner = document.querySelector('[data-consent-banner]');

  function showBanner(open) {
    if (!banner) return;
    document.documentElement.setAttribute('data-consent', open ? 'open' : 'chosen');
    if (open) {
      var current = (cookie('consent') || '').split(',');
      banner.querySelectorAll('input[type=checkbox]').forEach(function (box) { box.checked = current.indexOf(box.name) !== -1; });
      var first = banner.querySelector('button');
      if (first) first.focus();
    }
  }

  // Only an explicit button press writes the cookie; the boxes start unticked on a first visit.
  function choose(form, choice) {
    var purposes = [];
    if (choice === 'all') purposes = ['personalization', 'analytics'];
    if (choice === 'custom') {
      form.querySelectorAll('input[type=checkbox]').forEach(function (box) { if (box.checked) purposes.push(box.name); });
    }
    var value = purposes.length ? purposes.join(',') : 'none';
    document.cookie = 'consent=' + value + '; Path=/; Max-Age=' + YEAR_S + '; SameSite=Lax';
    location.reload();
  }

  document.querySelectorAll('form[action="/consent"]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var button = event.submitter;
      if (!button || !button.value) return;
      event.preventDefault();
      choose(form, button.value);
    });
  });
  document.querySelectorAll('[data-consent-open]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      if (!banner) return;
      event.preventDefault();
      showBanner(true);
    });
  });
  var current = document.querySelector('[data-consent-current]');
  if (current) current.textContent = { 'personalization,analytics': 'everything accepted', none: 'everything rejected' }[cookie('consent')] || cookie('consent') || 'not set';

  // --- basket ----------------------------------------------------------------------------------
  function showCount(count) {
    document.querySelectorAll('[data-cart-count]').forEach(function (badge) { badge.textContent = count > 0 ? String(count) : ''; });
  }
  var cart = cookie('cart');
  if (cart && /\.\d+$/.test(cart)) showCount(Number(cart.split('.')[1]));

  function postForm(url, form) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || 'request failed');
        return body;
      });
    });
  }

  document.querySelectorAll('form[data-add-to-cart]').forEach(function (form) {
    var status = document.querySelector('[data-cart-status]');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var qty = Number(new FormData(form).get('qty') || 1);
      postForm('/cart/add', form).then(function (body) {
        showCount(body.cart.count);
        if (status) status.innerHTML = 'Added to your basket. <a href="/cart">View basket</a>';
        if (window.TrailheadBeacon) {
          window.TrailheadBeacon.conversion('add_to_cart', 'product', form.getAttribute('data-item'), Number(form.getAttribute('data-value')) * qty);
        }
      }).catch(function () {
        if (status) status.textContent = 'Sorry, that did not work. Please try again.';
      });
    });
  });

  var contents = document.querySelector('[data-cart-load]');
  if (contents) {
    fetch('/cart/contents', { method: 'POST', credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(new Error(String(response.status))); })
      .then(function (html) { contents.innerHTML = html; })
      .catch(function () { contents.textContent = 'Your basket could not be loaded. Please reload the page.'; });
  }
})();
