/* Card payment page. Real Stripe.js: the Payment Element, then confirmPayment (Stripe
 * redirects to the return URL, or we go there when no redirect was needed).
 * localstripe's stand-in Stripe.js has no Payment Element nor confirmPayment: its card
 * element is tokenised in the browser (createToken), our server confirms the intent
 * with the card id, and 3-D Secure goes through confirmCardPayment. */
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") return;
  var stripe = window.Stripe(form.getAttribute("data-publishable-key"));
  var clientSecret = form.getAttribute("data-client-secret");
  var returnUrl = form.getAttribute("data-return-url");
  var button = document.getElementById("pay-button");
  var message = document.getElementById("payment-message");
  var standIn = typeof stripe.confirmPayment !== "function";
  var elements = standIn ? stripe.elements() : stripe.elements({ clientSecret: clientSecret });
  var element = elements.create(standIn ? "card" : "payment");
  element.mount("#payment-element");

  function fail(text) {
    message.textContent = text;
    message.hidden = false;
    button.disabled = false;
  }

  function csrf() {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function confirmOnServer(cardId) {
    var body = new URLSearchParams();
    body.set("payment_method", cardId);
    return fetch(form.action, {
      method: "POST",
      headers: { "X-CSRFToken": csrf() },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function payWithStandIn() {
    return stripe.createToken(element).then(function (result) {
      if (result.error) return fail(result.error.message || String(result.error));
      return confirmOnServer(result.token.card.id).then(function (answer) {
        if (answer.data.error) {
          fail(answer.data.error);
          if (answer.data.basket) {
            button.hidden = true;
            var back = document.createElement("a");
            back.href = answer.data.basket;
            back.className = "btn btn-primary";
            back.textContent = form.getAttribute("data-basket-label");
            message.insertAdjacentElement("afterend", back);
          }
          return;
        }
        if (answer.data.requires_action) {
          return stripe.confirmCardPayment(clientSecret).then(function () {
            window.location.assign(returnUrl);
          });
        }
        window.location.assign(answer.data.redirect || returnUrl);
      });
    });
  }

  function payWithStripe() {
    return stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: returnUrl },
      redirect: "if_required"
    }).then(function (result) {
      // An incomplete form is fixed in place; a decline is settled by the server
      // (the order is cancelled and the basket comes back, with the reason).
      if (result.error && result.error.type === "validation_error") return fail(result.error.message);
      window.location.assign(returnUrl);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    message.hidden = true;
    (standIn ? payWithStandIn() : payWithStripe()).catch(function () {
      fail(form.getAttribute("data-error") || "The payment could not be sent. Please try again.");
    });
  });
})();
