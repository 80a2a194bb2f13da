// Directory: with her permission, sorts the results by distance from the phone's
// position. Everything happens here, on the phone: the position is never sent, never
// stored. Without JavaScript the page works as it is (search near a chosen area).
(function () {
  'use strict';
  var box = document.querySelector('.geo');
  var list = document.getElementById('results');
  if (!box || !list || !navigator.geolocation) return;
  var items = Array.prototype.slice.call(list.querySelectorAll('li[data-lat]'));
  if (items.length === 0) return;
  box.hidden = false;
  var button = document.getElementById('geo-sort');
  function km(a, b, c, d) {
    var r = Math.PI / 180;
    var h = Math.pow(Math.sin(((c - a) * r) / 2), 2) + Math.cos(a * r) * Math.cos(c * r) * Math.pow(Math.sin(((d - b) * r) / 2), 2);
    return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  button.addEventListener('click', function () {
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        var lat = pos.coords.latitude;
        var lon = pos.coords.longitude;
        var label = box.getAttribute('data-geo-km') || '{km} km';
        var all = Array.prototype.slice.call(list.children);
        all.forEach(function (li) {
          var a = parseFloat(li.getAttribute('data-lat'));
          var b = parseFloat(li.getAttribute('data-lon'));
          li._km = isFinite(a) && isFinite(b) ? km(lat, lon, a, b) : Infinity;
          var span = li.querySelector('.geo-distance');
          if (span && li._km !== Infinity) span.textContent = ' — ' + label.replace('{km}', li._km.toFixed(1));
        });
        all.sort(function (x, y) { return x._km - y._km; }).forEach(function (li) { list.appendChild(li); });
      },
      function () {
        var p = document.createElement('p');
        p.setAttribute('role', 'status');
        p.textContent = box.getAttribute('data-geo-denied') || '';
        box.appendChild(p);
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
})();
