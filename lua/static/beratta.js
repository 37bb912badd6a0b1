// beratta.js: progressive enhancement only; every page works without it.
// - "Read aloud": the plugin's recorded audio where there is one, else the
//   browser's speech synthesis in the page's language.
// - "Leave quickly": replaces this page in the history, so Back does not
//   return to it.
// - Large text on a phone: the header's menu is folded.
// - Idle: after the session's idle time the page goes back to the start
//   (everything is already saved).  While the child types or taps, the
//   page tells the server at most once a minute (GET /alive), so the
//   session does not end under a long answer being written.
// - A slip's QR code opens the start page as /#code=K7Q2-M9XH-4RTP: the
//   code is filled in from the fragment (which no server sees) and the
//   fragment is dropped from the address bar and the history.
(function () {
  'use strict';

  function readAloud(button) {
    var src = button.getAttribute('data-audio');
    if (src) {
      new Audio(src).play();
      return;
    }
    if (!('speechSynthesis' in window)) return;
    var parts = [];
    var q = document.getElementById('question');
    if (q) parts.push(q.textContent);
    var labels = document.querySelectorAll('.options label');
    for (var i = 0; i < labels.length; i++) parts.push(labels[i].textContent);
    window.speechSynthesis.cancel();
    var u = new SpeechSynthesisUtterance(parts.join('. '));
    u.lang = document.documentElement.lang;
    u.rate = 0.9;
    window.speechSynthesis.speak(u);
  }

  // A narrow screen with large text (the stylesheet's 19em): help, my
  // answers and the language menu folded into the menu button, so that
  // the page's own content is on the screen.
  function fold() {
    var more = document.querySelector('details.more');
    if (more && window.matchMedia && window.matchMedia('(max-width: 19em)').matches) {
      more.open = false;
    }
  }

  function codeFromFragment() {
    var m = /^#code=([A-Za-z0-9-]{1,40})$/.exec(window.location.hash);
    var field = document.getElementById('code');
    if (!m || !field) return;
    field.value = m[1];
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, '', window.location.pathname);
    }
  }

  function ready() {
    fold();
    codeFromFragment();
    var buttons = document.querySelectorAll('.read-aloud');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      if (b.getAttribute('data-audio') || 'speechSynthesis' in window) {
        b.hidden = false;
        b.addEventListener('click', function (e) { readAloud(e.currentTarget); });
      }
    }
    var exits = document.querySelectorAll('a.quick-exit');
    for (var j = 0; j < exits.length; j++) {
      exits[j].addEventListener('click', function (e) {
        e.preventDefault();
        if ('speechSynthesis' in window) window.speechSynthesis.cancel();
        document.body.style.visibility = 'hidden';
        window.location.replace(e.currentTarget.href);
      });
    }
    var idle = parseInt(document.body.getAttribute('data-idle') || '0', 10);
    if (idle > 0) {
      var timer;
      var contact = Date.now();
      var reset = function () {
        clearTimeout(timer);
        timer = setTimeout(function () { window.location.assign('/'); }, (idle + 5) * 1000);
        if (Date.now() - contact >= 60000 && window.fetch) {
          contact = Date.now();
          window.fetch('/alive', { credentials: 'same-origin', cache: 'no-store',
            redirect: 'manual' }).catch(function () {});
        }
      };
      ['keydown', 'pointerdown', 'scroll', 'input'].forEach(function (ev) {
        document.addEventListener(ev, reset, { passive: true });
      });
      reset();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
}());
