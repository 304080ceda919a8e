/* Search: facet forms submit when a box changes, and the header box suggests
   products, producers and stories as the buyer types (debounced; arrow keys, Enter
   and Escape work as in a combobox). Without JavaScript both forms still submit. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=checkbox], select")) form.submit();
    });
  });

  var form = document.querySelector("form.site-search[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var list = document.createElement("ul");
  list.id = "site-search-suggestions";
  list.className = "site-search__suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.dataset.labelSuggestions);
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var DELAY = 200;
  var timer = null;
  var pending = null;
  var active = -1;

  function options() {
    return list.querySelectorAll("[role=option]");
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function section(title, rows, describe) {
    if (!rows.length) return;
    var heading = document.createElement("li");
    heading.className = "site-search__heading";
    heading.setAttribute("role", "presentation");
    heading.textContent = title;
    list.appendChild(heading);
    rows.forEach(function (row) {
      var item = document.createElement("li");
      item.id = "site-search-option-" + options().length;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = row.url;
      link.tabIndex = -1;
      link.textContent = describe(row);
      item.appendChild(link);
      item.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus; the click follows the link
      });
      item.addEventListener("click", function () {
        window.location.href = row.url;
      });
      list.appendChild(item);
    });
  }

  function show(data) {
    list.textContent = "";
    active = -1;
    var price = new Intl.NumberFormat(document.documentElement.lang || "vi");
    section(form.dataset.labelProducts, data.products || [], function (p) {
      var text = p.title;
      if (p.stars) text += " · " + p.stars + "★";
      if (p.price_vnd !== null && p.price_vnd !== undefined) {
        text += " · " + price.format(p.price_vnd) + " ₫";
      }
      return text;
    });
    section(form.dataset.labelProducers, data.producers || [], function (p) {
      return p.name;
    });
    section(form.dataset.labelStories, data.stories || [], function (s) {
      return s.title;
    });
    var any = options().length > 0;
    list.hidden = !any;
    input.setAttribute("aria-expanded", any ? "true" : "false");
  }

  function lookup() {
    var text = input.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    if (pending) pending.abort();
    pending = new AbortController();
    var url = form.dataset.suggestUrl + "?lang=" + encodeURIComponent(form.dataset.lang) +
      "&q=" + encodeURIComponent(text);
    fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && input.value.trim() === text) show(data);
      })
      .catch(function () {
        /* aborted by a newer keystroke, or offline: the form still submits */
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, DELAY);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight(active + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active - 1);
    } else if (event.key === "Escape") {
      event.preventDefault(); // close the list; keep what was typed
      close();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = options()[active].querySelector("a").href;
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(close, 150);
  });
})();
