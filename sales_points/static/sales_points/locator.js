/* Store locator, progressive enhancement only: the pages work without this file.
 * 1. "Use my location" buttons ([data-locate]): ask the browser for the position, keep it
 *    (rounded to ~100 m) in the ocop_near cookie for a day, then either reload the page
 *    (product page box) or reload the list with ?near=lat,lng (locator list).
 * 2. The map (#locator-map): shown only when Leaflet (our static copy) is present and the
 *    tiles load; if they fail, the map hides itself and the list stays. */
(function () {
  "use strict";

  var COOKIE = "ocop_near";
  var TILE_TIMEOUT_MS = 8000;

  function showError() {
    var errors = document.querySelectorAll("[data-locate-error]");
    for (var i = 0; i < errors.length; i++) errors[i].hidden = false;
  }

  function located(mode, position) {
    var point = position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
    document.cookie = COOKIE + "=" + encodeURIComponent(point) + ";path=/;max-age=86400;SameSite=Lax";
    if (mode === "list") {
      var url = new URL(window.location.href);
      url.searchParams.set("near", point);
      url.searchParams.delete("place");
      url.searchParams.delete("page");
      window.location.assign(url.toString());
    } else {
      window.location.reload();
    }
  }

  function setUpLocateButtons() {
    if (!("geolocation" in navigator)) return;
    var buttons = document.querySelectorAll("[data-locate]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(
          function (position) { located(button.getAttribute("data-locate"), position); },
          function () { button.disabled = false; showError(); },
          { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
        );
      });
    });
  }

  function readMarkers() {
    var data = document.getElementById("locator-markers");
    try {
      return data ? JSON.parse(data.textContent) : [];
    } catch (error) {
      return [];
    }
  }

  function setUpMap() {
    var container = document.getElementById("locator-map");
    var markers = readMarkers();
    if (!container || !window.L || !markers.length) return;
    container.hidden = false;
    var map = window.L.map(container, { scrollWheelZoom: false });
    var loaded = 0;
    var failed = 0;
    function giveUp() {
      map.remove();
      container.hidden = true;
    }
    var tiles = window.L.tileLayer(container.getAttribute("data-tile-url"), {
      maxZoom: 18,
      attribution: container.getAttribute("data-attribution") || ""
    });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 3) giveUp();
    });
    window.setTimeout(function () {
      if (!loaded && !container.hidden) giveUp();
    }, TILE_TIMEOUT_MS);
    tiles.addTo(map);

    var points = [];
    markers.forEach(function (outlet) {
      var point = [outlet.lat, outlet.lng];
      points.push(point);
      var link = document.createElement("a");
      link.href = outlet.url;
      link.textContent = outlet.name;
      window.L.circleMarker(point, {
        radius: 8,
        color: outlet.open ? "#2e6b30" : "#6c757d",
        fillOpacity: 0.8
      }).bindPopup(link).addTo(map);
    });
    if (points.length === 1) {
      map.setView(points[0], 15);
    } else {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
    }
  }

  function start() {
    setUpLocateButtons();
    setUpMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
