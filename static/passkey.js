// Passkeys (WebAuthn): the one part of the staff pages that needs JavaScript. Each block
// [data-passkey="create"|"get"] names its endpoint (data-endpoint). A press on its button:
// 1. asks the endpoint for options (a challenge kept by the server), 2. lets the browser
// create or use a passkey, 3. sends the answer back, 4. goes to data-next (or where the
// server says). Without JavaScript or WebAuthn the blocks stay hidden and the password
// form remains. Same origin, no inline code: allowed by the pages' Content-Security-Policy.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) return;
  var blocks = document.querySelectorAll('[data-passkey]');
  if (!blocks.length) return;

  function toBuffer(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }
  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function withIds(list) {
    return (list || []).map(function (c) {
      return { id: toBuffer(c.id), type: c.type, transports: c.transports };
    });
  }
  function creationOptions(o) {
    var options = Object.assign({}, o, { challenge: toBuffer(o.challenge), excludeCredentials: withIds(o.excludeCredentials) });
    options.user = Object.assign({}, o.user, { id: toBuffer(o.user.id) });
    return options;
  }
  function requestOptions(o) {
    return Object.assign({}, o, { challenge: toBuffer(o.challenge), allowCredentials: withIds(o.allowCredentials) });
  }
  function registrationJson(credential) {
    var r = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(r.clientDataJSON),
        attestationObject: toBase64url(r.attestationObject),
        transports: typeof r.getTransports === 'function' ? r.getTransports() : []
      }
    };
  }
  function assertionJson(credential) {
    var r = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(r.clientDataJSON),
        authenticatorData: toBase64url(r.authenticatorData),
        signature: toBase64url(r.signature),
        userHandle: r.userHandle ? toBase64url(r.userHandle) : undefined
      }
    };
  }

  // A redirect (the server asks her to confirm who she is first) is followed by the page.
  var LEFT = {};
  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.redirected) {
        window.location.assign(response.url);
        throw LEFT;
      }
      return response.json().catch(function () { return { ok: false, code: 'failed' }; }).then(function (json) {
        if (!response.ok || json.ok === false) throw json;
        return json;
      });
    });
  }

  document.querySelectorAll('[data-passkey-nojs]').forEach(function (note) { note.hidden = true; });
  blocks.forEach(function (block) {
    var button = block.querySelector('[data-passkey-start]');
    var message = block.querySelector('[data-passkey-error]');
    var nameInput = block.querySelector('[data-passkey-name]');
    var endpoint = block.getAttribute('data-endpoint');
    var create = block.getAttribute('data-passkey') === 'create';
    if (!button || !endpoint) return;
    block.hidden = false;
    button.addEventListener('click', function () {
      if (message) message.hidden = true;
      button.disabled = true;
      post(endpoint, { step: 'options' })
        .then(function (options) {
          return create
            ? navigator.credentials.create({ publicKey: creationOptions(options) })
            : navigator.credentials.get({ publicKey: requestOptions(options) });
        })
        .then(function (credential) {
          if (!credential) throw { code: 'cancelled' };
          var body = { step: 'verify', credential: create ? registrationJson(credential) : assertionJson(credential) };
          if (nameInput) body.name = nameInput.value;
          return post(endpoint, body);
        })
        .then(function (answer) {
          window.location.assign(block.getAttribute('data-next') || answer.next || window.location.href);
        })
        .catch(function (problem) {
          if (problem === LEFT) return;
          button.disabled = false;
          var code = problem && (problem.name === 'NotAllowedError' || problem.name === 'AbortError') ? 'cancelled' : (problem && problem.code) || 'failed';
          if (message) {
            message.textContent = block.getAttribute('data-msg-' + code) || block.getAttribute('data-msg-failed');
            message.hidden = false;
            message.focus();
          }
        });
    });
  });
})();
