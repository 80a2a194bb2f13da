// "Record": a short spoken answer with the phone's microphone (MediaRecorder), put into the
// form's own file field, so the form sends it like a chosen file. Without this script (or a
// browser without MediaRecorder) the file field alone works: on a phone it opens the recorder.
// Nothing is sent anywhere until she presses "pause" or "send"; she listens to it once kept
// ("pause"), from the server, so the page's media policy stays 'self' only.
(function () {
  'use strict';
  if (typeof window.MediaRecorder !== 'function' || !navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function' || typeof window.DataTransfer !== 'function') return;
  var MAX_SECONDS = 300;
  var MAX_BYTES = 5 * 1024 * 1024;

  document.querySelectorAll('[data-recorder]').forEach(function (box) {
    var input = document.getElementById(box.getAttribute('data-input'));
    var start = box.querySelector('[data-record-start]');
    var stop = box.querySelector('[data-record-stop]');
    var status = box.querySelector('[data-record-status]');
    if (!input || !start || !stop || !status) return;
    box.hidden = false;
    var recorder = null;
    var timer = null;

    function say(key) {
      status.textContent = box.getAttribute(key) || '';
    }

    start.addEventListener('click', function () {
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var chunks = [];
        var size = 0;
        recorder = new MediaRecorder(stream);
        recorder.addEventListener('dataavailable', function (e) {
          if (!e.data || !e.data.size) return;
          size += e.data.size;
          chunks.push(e.data);
          if (size > MAX_BYTES && recorder.state === 'recording') recorder.stop();
        });
        recorder.addEventListener('stop', function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          clearTimeout(timer);
          start.hidden = false;
          stop.hidden = true;
          var type = (recorder.mimeType || 'audio/webm').split(';')[0];
          var blob = new Blob(chunks, { type: type });
          if (blob.size > MAX_BYTES) { say('data-too-big'); return; }
          var extension = type.indexOf('ogg') >= 0 ? 'ogg' : type.indexOf('mp4') >= 0 ? 'm4a' : 'webm';
          var transfer = new DataTransfer();
          transfer.items.add(new File([blob], 'recording.' + extension, { type: type }));
          input.files = transfer.files;
          say('data-done');
        });
        recorder.start(1000);
        start.hidden = true;
        stop.hidden = false;
        stop.focus();
        say('data-recording');
        timer = setTimeout(function () { if (recorder && recorder.state === 'recording') recorder.stop(); }, MAX_SECONDS * 1000);
      }).catch(function () {
        say('data-refused');
      });
    });

    stop.addEventListener('click', function () {
      if (recorder && recorder.state === 'recording') recorder.stop();
    });
  });
})();
