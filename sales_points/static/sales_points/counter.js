/* Counter sale page: a running total in VND and quick entry by barcode.
 *
 * The page works without this file (every button posts and the server adds the line
 * and totals); with it, a scanned barcode (scanners type it and press Enter) adds or
 * increments its line at once, and the total follows every change. Names the server
 * does not know as a barcode are left to the server's search. */
(function () {
  "use strict";

  var form = document.getElementById("counter_sale_form");
  var dataNode = document.getElementById("sale-catalogue");
  if (!form || !dataNode) {
    return;
  }

  var byId = {};
  var byUpc = {};
  JSON.parse(dataNode.textContent).forEach(function (product) {
    byId[String(product.id)] = product;
    if (product.upc) {
      byUpc[product.upc] = product;
    }
  });

  var money = new Intl.NumberFormat(form.dataset.locale || undefined, {
    style: "currency",
    currency: form.dataset.currency || "VND",
    maximumFractionDigits: 0,
  });
  var body = form.querySelector("#sale_lines tbody");
  var totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");
  var template = document.getElementById("sale-line-template");
  var lookup = form.querySelector("input[name='lookup']");

  function rows() {
    return Array.prototype.slice.call(body.querySelectorAll("tr.sale-line"));
  }

  function productSelect(row) {
    return row.querySelector("select");
  }

  function quantityInput(row) {
    return row.querySelector("input[type='number']");
  }

  function recompute() {
    var total = 0;
    rows().forEach(function (row) {
      var product = byId[productSelect(row).value];
      var raw = quantityInput(row).value;
      var quantity = raw === "" ? (product ? 1 : 0) : parseInt(raw, 10) || 0;
      var cell = row.querySelector(".line-total");
      if (product && product.price !== null) {
        cell.textContent = money.format(product.price * quantity);
        total += product.price * quantity;
      } else {
        cell.textContent = "";
      }
      row.classList.toggle("table-warning", Boolean(product && quantity > product.free));
    });
    document.getElementById("sale_total").textContent = money.format(total);
  }

  function addRow() {
    var index = parseInt(totalForms.value, 10);
    body.insertAdjacentHTML(
      "beforeend",
      template.innerHTML.replace(/__prefix__/g, String(index))
    );
    totalForms.value = String(index + 1);
    var all = rows();
    return all[all.length - 1];
  }

  function addProduct(product) {
    var id = String(product.id);
    var row = rows().find(function (r) {
      return productSelect(r).value === id;
    });
    if (row) {
      var input = quantityInput(row);
      input.value = (parseInt(input.value, 10) || 1) + 1;
    } else {
      row =
        rows().find(function (r) {
          return !productSelect(r).value;
        }) || addRow();
      productSelect(row).value = id;
      quantityInput(row).value = 1;
    }
    recompute();
  }

  if (lookup) {
    lookup.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") {
        return;
      }
      var product = byUpc[lookup.value.trim()];
      if (!product) {
        return; // not a barcode here: the server searches names
      }
      event.preventDefault();
      addProduct(product);
      lookup.value = "";
      lookup.focus();
    });
  }
  form.addEventListener("input", recompute);
  form.addEventListener("change", recompute);
  recompute();
})();
