/* The review screen's keyboard: j/k move, p f r s e w a u decide, l/n/m pick a label/reason/name. The page works
 * without this file (every key is a visible button or link); this only adds the
 * keys. External file, no inline script: the Content Security Policy forbids it. */
(function () {
  "use strict";
  var root = document.querySelector("[data-review]");
  if (!root) {
    return;
  }
  var busy = false;
  document.body.classList.add("review-keys");

  function isTyping(el) {
    if (!el) {
      return false;
    }
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function openEditor(which) {
    var details = document.getElementById("review-" + which);
    var text = document.getElementById("review-" + which + "-text");
    if (!details || details.hidden || !text) {
      return;
    }
    details.open = true;
    text.focus();
    text.setSelectionRange(text.value.length, text.value.length);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.defaultPrevented || busy) {
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" &&
        target && (target.id === "review-edit-text" || target.id === "review-reply-text")) {
      event.preventDefault();
      busy = true;
      target.form.requestSubmit();
      return;
    }
    if (event.key === "Escape" && isTyping(target)) {
      target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) {
      return;
    }
    if (isTyping(target) || !/^[a-z]$/.test(event.key)) {
      return;
    }
    // l / n: jump to the pick-label or reject-reason list (type to choose, Esc
    // to leave it, then f or r), instead of tabbing through the page.
    var field = {l: "id_label", n: "id_reason", m: "review-name"}[event.key];
    if (field && document.getElementById(field)) {
      event.preventDefault();
      document.getElementById(field).focus();
      return;
    }
    var control = root.querySelector('[data-key="' + event.key + '"]');
    if (!control || control.disabled) {
      return;
    }
    event.preventDefault();
    if (event.key === "e" || event.key === "w") {
      openEditor(event.key === "e" ? "edit" : "reply");
      return;
    }
    // One key, one decision: ignore further keys while the page changes.
    busy = true;
    control.click();
  });

  // Back/forward cache: a page restored from history must take keys again.
  window.addEventListener("pageshow", function () {
    busy = false;
  });
})();
