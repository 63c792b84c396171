// The app's one script; every page works without it. It only enhances: "select all" boxes, and the reload of pages
// that ask for it (paused while the tab is hidden, so a background tab costs nothing).
(function () {
  'use strict';

  document.addEventListener('change', function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute('data-select-all')) {
      return;
    }
    var form = box.form;
    if (!form) {
      return;
    }
    form.querySelectorAll('input[type=checkbox][name="' + box.getAttribute('data-select-all') + '"]').forEach(function (item) {
      item.checked = box.checked;
    });
  });

  var refresh = document.querySelector('meta[name="hitl-refresh"]');
  if (refresh) {
    var seconds = Math.max(5, parseInt(refresh.getAttribute('content'), 10) || 30);
    var timer = null;
    var schedule = function () {
      clearTimeout(timer);
      if (document.visibilityState === 'visible') {
        timer = setTimeout(function () { location.reload(); }, seconds * 1000);
      }
    };
    document.addEventListener('visibilitychange', schedule);
    schedule();
  }
})();
