/// <reference types="@fastly/js-compute" />
/** The floor for guest CPU per request: a js-compute-runtime guest that does nothing but answer. */
addEventListener('fetch', (event) => event.respondWith(new Response('')));
