/* The default theme's script: three conveniences. Every page reads and works
   without it (the contents stay open, the history's links compare versions). */
(function () {
  "use strict";
  var lang = document.documentElement.lang;

  /* The contents start folded on a narrow screen, where they would push the
     text a screen down; beside the text (64rem and wider) they stay open. */
  var contents = document.querySelector(".toc details");
  if (contents && window.matchMedia("(max-width: 63.99rem)").matches) {
    contents.open = false;
  }

  /* A printed page says when it was printed, as the reader's date. */
  var printed = document.querySelector("[data-printed]");
  if (printed) {
    window.addEventListener("beforeprint", function () {
      var today = new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(new Date());
      printed.textContent = printed.getAttribute("data-printed").replace("{date}", today);
    });
  }

  /* The history's compare form: "to" offers only the redlines built from
     "from"; choosing opens that redline. */
  var form = document.querySelector("form[data-redlines]");
  if (form) {
    var redlines = JSON.parse(form.getAttribute("data-redlines"));
    var from = form.elements.from, to = form.elements.to;
    var offer = function () {
      var targets = Object.keys(redlines[from.value] || {});
      to.replaceChildren.apply(to, targets.map(function (id) { return new Option(id, id); }));
      to.selectedIndex = targets.length - 1;      /* the newest: usually the current */
    };
    from.addEventListener("change", offer);
    offer();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = redlines[from.value][to.value];
    });
    form.hidden = false;
  }
})();
