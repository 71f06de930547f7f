// Name suggestions under the search box: an addition to a plain GET form, which works without it.
// Every name is set with textContent: nothing from the store is parsed as HTML.
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.hidden = true;
    input.parentNode.appendChild(list);
    var timer = null, asked = "";
    function hide() { list.hidden = true; }
    function show(items) {
      list.replaceChildren();
      items.forEach(function (item) {
        if (typeof item.url !== "string" || item.url.charAt(0) !== "/" || item.url.charAt(1) === "/") { return; }
        var li = document.createElement("li"), a = document.createElement("a"), kind = document.createElement("span");
        a.setAttribute("href", item.url);
        a.textContent = item.name;
        kind.className = "muted";
        kind.textContent = item.type;
        a.appendChild(kind);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = !list.children.length;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (!q) { hide(); return; }
      timer = setTimeout(function () {
        asked = q;
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) { if (asked === input.value.trim()) { show(items); } })
          .catch(hide);
      }, 120);
    });
    input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { hide(); } });
    document.addEventListener("click", function (ev) { if (!list.contains(ev.target) && ev.target !== input) { hide(); } });
  }
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    if (input.closest("form.search")) { attach(input); }
  });
}());
