/* Checkout, progressive enhancement only (the steps work without it): on the delivery
 * step, show only the part (pickup or home address) of the choice made. */
(function () {
  "use strict";
  var form = document.querySelector("form.checkout-delivery");
  if (!form) return;
  var parts = { pickup: form.querySelector(".checkout-pickup"), home: form.querySelector(".checkout-home") };
  function show() {
    var chosen = form.querySelector("input[name=delivery]:checked");
    Object.keys(parts).forEach(function (key) {
      if (parts[key]) parts[key].hidden = !chosen || chosen.value !== key;
    });
  }
  Array.prototype.forEach.call(form.querySelectorAll("input[name=delivery]"), function (radio) {
    radio.addEventListener("change", show);
  });
  show();
})();
