// "Listen": reads the page aloud with the phone's own speech synthesis, only where the
// browser has a voice for the page's language. Nothing is sent anywhere.
(function () {
  'use strict';
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  var buttons = document.querySelectorAll('[data-listen]');
  if (!buttons.length) return;

  function voiceFor(lang) {
    var voices = synth.getVoices();
    var primary = lang.split('-')[0];
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().split(/[-_]/)[0] === primary) return voices[i];
    }
    return null;
  }

  function setup() {
    buttons.forEach(function (button) {
      var lang = button.getAttribute('data-lang') || document.documentElement.lang;
      var voice = voiceFor(lang);
      if (!voice) return;
      button.hidden = false;
      var label = button.querySelector('span');
      var listenText = label ? label.textContent : '';
      button.addEventListener('click', function () {
        if (synth.speaking) {
          synth.cancel();
          if (label) label.textContent = listenText;
          return;
        }
        var target = document.querySelector(button.getAttribute('data-listen'));
        if (!target) return;
        var utterance = new SpeechSynthesisUtterance(target.innerText);
        utterance.lang = voice.lang;
        utterance.voice = voice;
        utterance.rate = 0.9;
        utterance.onend = function () { if (label) label.textContent = listenText; };
        if (label) label.textContent = button.getAttribute('data-stop-label') || listenText;
        synth.speak(utterance);
      });
    });
  }
  if (synth.getVoices().length) setup();
  else synth.addEventListener('voiceschanged', setup, { once: true });
})();
