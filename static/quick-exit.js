// Quick exit: leaves for a neutral site so that Back does not return here, on a click,
// three presses of Shift or two of Escape, and erases what this site stored on the phone.
(function () {
  'use strict';
  var link = document.getElementById('quick-exit');
  if (!link) return;
  var target = link.getAttribute('href');
  var leaving = false;

  function erase() {
    var jobs = [];
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try { window.localStorage.clear(); } catch (e) { /* storage may be disabled */ }
    try {
      if (window.caches) {
        jobs.push(window.caches.keys().then(function (keys) {
          return Promise.all(keys.map(function (k) { return window.caches.delete(k); }));
        }));
      }
    } catch (e) { /* no cache storage */ }
    try {
      if (navigator.serviceWorker) {
        jobs.push(navigator.serviceWorker.getRegistrations().then(function (regs) {
          return Promise.all(regs.map(function (r) { return r.unregister(); }));
        }));
      }
    } catch (e) { /* no service worker */ }
    return Promise.all(jobs);
  }

  function leave(event) {
    if (event) event.preventDefault();
    if (leaving) return;
    leaving = true;
    document.documentElement.hidden = true;
    document.title = '';
    var go = function () { window.location.replace(target); };
    // Erasing takes a few milliseconds; never wait longer than a blink for it.
    Promise.race([erase(), new Promise(function (r) { setTimeout(r, 300); })]).then(go, go);
  }

  link.addEventListener('click', leave);

  var shifts = [];
  var escapes = [];
  function recent(list, within) {
    var now = Date.now();
    list.push(now);
    while (list.length && now - list[0] > within) list.shift();
    return list.length;
  }
  document.addEventListener('keydown', function (e) {
    if (e.repeat) return;
    if (e.key === 'Shift') {
      escapes.length = 0;
      if (recent(shifts, 2000) >= 3) leave();
    } else if (e.key === 'Escape' || e.key === 'Esc') {
      shifts.length = 0;
      if (recent(escapes, 2000) >= 2) leave();
    } else {
      shifts.length = 0;
      escapes.length = 0;
    }
  });
})();
