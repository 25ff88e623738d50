// Legami's small behaviours. Loaded as a file: the Content-Security-Policy forbids inline code.
(function () {
  "use strict";
  // Confirm destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
