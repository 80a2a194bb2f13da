// Offline after one visit: with JavaScript, a service worker keeps the guide, the
// calculator and the emergency numbers of this language on the phone. The quick exit
// erases them.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.caches) return;
  var lang = document.documentElement.lang;
  if (!/^[a-z]{2,3}$/.test(lang)) return;
  navigator.serviceWorker
    .register('/service-worker.js', { scope: '/' })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: 'cache-locale', locale: lang });
    })
    .catch(function () { /* offline mode is a bonus: the site works without it */ });
})();
