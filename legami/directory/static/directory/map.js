// Maps of the directory. Data comes from data- attributes and a JSON endpoint; text is set
// with textContent so that names typed by users are never read as markup.
(function () {
  "use strict";
  var element = document.getElementById("legami-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  // Served files have hashed names: Leaflet would guess the markers' address from its
  // stylesheet and miss them, so the page names them.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: element.dataset.markerIcon,
    iconRetinaUrl: element.dataset.markerIcon2x,
    shadowUrl: element.dataset.markerShadow,
  });
  var map = L.map(element, { scrollWheelZoom: false });
  L.tileLayer(element.dataset.tiles, {
    maxZoom: 18,
    attribution: element.dataset.attribution,
  }).addTo(map);

  function popup(point) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = point.name;
    box.appendChild(title);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(point.comune + " · " + point.activities + " " +
      element.dataset.labelActivities));
    box.appendChild(document.createElement("br"));
    var link = document.createElement("a");
    link.href = element.dataset.searchUrl + "?place=" + encodeURIComponent(point.place);
    link.textContent = element.dataset.labelSee;
    box.appendChild(link);
    return box;
  }

  if (element.dataset.lat) {
    var here = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    map.setView(here, 14);
    L.marker(here, { title: element.dataset.name, alt: element.dataset.name }).addTo(map);
    return;
  }
  map.setView([42.5, 12.5], 6);
  fetch(element.dataset.pointsUrl, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
      var bounds = [];
      data.points.forEach(function (point) {
        var marker = L.marker([point.lat, point.lon], { title: point.name, alt: point.name });
        marker.bindPopup(popup(point));
        layer.addLayer(marker);
        bounds.push([point.lat, point.lon]);
      });
      map.addLayer(layer);
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
      }
      element.dataset.loaded = String(data.points.length);
    });
})();
