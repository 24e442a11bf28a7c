// The comment form's "elapsed" field: seconds from page load to sending, for the
// spam rules' soft "sent too fast" signal. A static file, so the page stays the
// same for every reader (no per-request timestamp in it). Without JavaScript the
// field stays empty and the signal is simply absent, never held against anyone.
document.querySelectorAll("form.comment-form").forEach(function (form) {
  form.addEventListener("submit", function () {
    var field = form.elements.namedItem("elapsed");
    if (field) {
      field.value = (performance.now() / 1000).toFixed(1);
    }
  });
});
