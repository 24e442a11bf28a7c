// Two aids for readers who write; a static file because the Content Security Policy
// forbids inline script. Without JavaScript the page still works: the address reads
// whole and its mailto: link opens the mail program; the server judges the length.
(function () {
  "use strict";

  // --- Copy the comments address ------------------------------------------------
  document.querySelectorAll("button.copy-address[data-copy]").forEach(function (button) {
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    button.after(status);
    button.hidden = false;

    function copied(ok) {
      button.textContent = ok ? "Copied" : "Copy address";
      status.textContent = ok ? "Address copied." : "Could not copy; select the address instead.";
      window.setTimeout(function () {
        button.textContent = "Copy address";
        status.textContent = "";
      }, 4000);
    }

    function fallback(text) {
      // Older browsers, or a page not served over HTTPS: copy from a selection.
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      area.remove();
      button.focus();
      return ok;
    }

    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { copied(true); },
          function () { copied(fallback(text)); }
        );
      } else {
        copied(fallback(text));
      }
    });
  });

  // --- How many characters are left ---------------------------------------------
  // Counted as the server counts (comments/validation.py): Unicode code points of
  // the NFC text, trailing spaces of each line and blank lines at the ends left out.
  function counted(value) {
    var text = value.normalize ? value.normalize("NFC") : value;
    text = text.split("\n").map(function (line) {
      return line.replace(/\s+$/, "");
    }).join("\n").replace(/^\n+|\n+$/g, "");
    return Array.from(text).length;
  }

  function number(n) {
    return n.toLocaleString("en-GB");
  }

  document.querySelectorAll("textarea[data-max-length]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-max-length"), 10);
    var counter = document.getElementById(area.id + "_counter");
    if (!counter || !limit) {
      return;
    }
    // A second, quieter copy for screen readers, updated when typing pauses
    // rather than on every key.
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.after(live);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    var pause = null;

    function update(announce) {
      var left = limit - counted(area.value);
      var text = left >= 0
        ? number(left) + (left === 1 ? " character" : " characters") + " left"
        : number(-left) + (left === -1 ? " character" : " characters") +
          " too many: please shorten it before sending";
      counter.textContent = text;
      counter.classList.toggle("over", left < 0);
      if (announce) {
        window.clearTimeout(pause);
        pause = window.setTimeout(function () { live.textContent = text; }, 1000);
      }
    }

    counter.hidden = false;
    area.addEventListener("input", function () { update(true); });
    update(false);
  });
})();

// --- Code blocks a keyboard can scroll -------------------------------------------
// A code block is a tab stop only while its lines overflow it (then arrow keys
// scroll it: WCAG 2.1.1); one that fits is skipped, so a page of comments with
// code costs no extra Tabs. Without JavaScript, Chromium still lets a keyboard
// into a scrolling box of its own accord.
(function () {
  "use strict";
  var blocks = document.querySelectorAll(".comment-text pre, .article-body pre, .preview pre");

  function mark() {
    blocks.forEach(function (pre) {
      if (pre.scrollWidth > pre.clientWidth + 1) {
        pre.tabIndex = 0;
        pre.setAttribute("role", "region");
        pre.setAttribute("aria-label", "Code, scrolls sideways");
      } else {
        pre.removeAttribute("tabindex");
        pre.removeAttribute("role");
        pre.removeAttribute("aria-label");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(mark, 150);
  });
  mark();
  window.sourcehatMarkCode = function (root) {
    blocks = document.querySelectorAll(".comment-text pre, .article-body pre, .preview pre");
    mark();
  };
})();

// --- Preview, and remember me on this device --------------------------------------
// The preview asks the server for the comment as it will appear (the one rendering
// function, comments/rendering.py; nothing is stored) and shows the answer, which
// the server escaped and sanitized. "Remember me" keeps the name and address in
// this browser's localStorage only, and only while ticked: the page itself is the
// same bytes for everyone and the site keeps nothing.
(function () {
  "use strict";
  var KEY = "sourcehat.commenter";

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;  // storage blocked, or garbage in it
    }
  }

  function store(value) {
    try {
      if (value) {
        window.localStorage.setItem(KEY, JSON.stringify(value));
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) { /* storage blocked: nothing to remember */ }
  }

  document.querySelectorAll("form.comment-form").forEach(function (form) {
    var name = form.elements.namedItem("name");
    var email = form.elements.namedItem("email");
    var actions = form.querySelector(".form-actions");
    if (!name || !email || !actions) {
      return;
    }

    // Remember me: a box with no name, so it is never sent to the site.
    var remember = document.createElement("div");
    remember.className = "field checkbox remember";
    remember.innerHTML = '<input type="checkbox" id="remember-me"> ' +
      '<label for="remember-me">Remember me on this device</label>' +
      '<p class="help" id="remember-me-help">Keeps your name and address in this browser only, never on our side; untick to forget them.</p>';
    actions.before(remember);
    var box = remember.querySelector("input");
    box.setAttribute("aria-describedby", "remember-me-help");
    var known = stored();
    if (known) {
      box.checked = true;
      if (!name.value) { name.value = known.name || ""; }
      if (!email.value) { email.value = known.email || ""; }
    }
    box.addEventListener("change", function () {
      if (!box.checked) { store(null); }
    });
    form.addEventListener("submit", function () {
      store(box.checked ? { name: name.value, email: email.value } : null);
    });

    // Preview.
    var url = form.getAttribute("data-preview");
    var panel = form.querySelector(".preview");
    if (!url || !panel || !window.fetch) {
      return;
    }
    var body = panel.querySelector(".preview-body");
    var heading = panel.querySelector("h4");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = "Preview";
    actions.appendChild(button);

    button.addEventListener("click", function () {
      var data = new URLSearchParams();
      data.append("name", name.value);
      data.append("body", form.elements.namedItem("body").value);
      button.disabled = true;
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          body.innerHTML = html;  // the server's escaped, sanitized fragment
          panel.hidden = false;
          if (window.sourcehatMarkCode) { window.sourcehatMarkCode(); }
          heading.focus();
        })
        .catch(function () {
          body.textContent = "The preview could not be loaded; your comment can still be sent.";
          panel.hidden = false;
        })
        .finally(function () { button.disabled = false; });
    });
  });
})();
