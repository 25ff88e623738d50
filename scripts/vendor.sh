#!/usr/bin/env bash
# Copies the front-end libraries pinned in package.json + package-lock.json into
# legami/core/static/vendor. The result is committed, so running Legami needs no Node;
# this script only reproduces it: `npm ci && bash scripts/vendor.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=legami/core/static/vendor
bi=$src/bootstrap-italia/dist
rm -rf "$dst"
mkdir -p "$dst/bootstrap-italia/css" "$dst/bootstrap-italia/js" "$dst/bootstrap-italia/svg" "$dst/htmx"
cp "$bi/css/bootstrap-italia.min.css" "$dst/bootstrap-italia/css/"
cp "$bi/js/bootstrap-italia.bundle.min.js" "$dst/bootstrap-italia/js/"
cp "$bi/svg/sprites.svg" "$dst/bootstrap-italia/svg/"
# Only woff2: every browser Legami supports reads it, and the other formats triple the size.
for family in Titillium_Web Roboto_Mono Lora; do
  mkdir -p "$dst/bootstrap-italia/fonts/$family"
  cp "$bi/fonts/$family"/*.woff2 "$dst/bootstrap-italia/fonts/$family/"
  cp "$bi/fonts/$family"/OFL.txt "$dst/bootstrap-italia/fonts/$family/" 2>/dev/null || true
done
cp "$src/bootstrap-italia/LICENSE" "$dst/bootstrap-italia/LICENSE" 2>/dev/null || true
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/htmx.org/LICENSE" "$dst/htmx/LICENSE"
mkdir -p "$dst/leaflet/images" "$dst/leaflet.markercluster"
cp "$src/leaflet/dist/leaflet.js" "$src/leaflet/dist/leaflet.css" "$src/leaflet/LICENSE" "$dst/leaflet/"
cp "$src/leaflet/dist/images/"*.png "$dst/leaflet/images/"
mc=$src/leaflet.markercluster
cp "$mc/dist/leaflet.markercluster.js" "$mc/dist/MarkerCluster.css" "$mc/dist/MarkerCluster.Default.css" \
  "$mc/MIT-LICENCE.txt" "$dst/leaflet.markercluster/" 2>/dev/null \
  || cp "$mc/dist/leaflet.markercluster.js" "$mc/dist/MarkerCluster.css" "$mc/dist/MarkerCluster.Default.css" "$dst/leaflet.markercluster/"
mkdir -p "$dst/chart.js"
cp "$src/chart.js/dist/chart.umd.min.js" "$src/chart.js/LICENSE.md" "$dst/chart.js/"
# axe-core checks accessibility in the browser journeys only; it is never served to users.
mkdir -p e2e/vendor
cp "$src/axe-core/axe.min.js" "$src/axe-core/LICENSE" e2e/vendor/
echo "vendored into $dst and e2e/vendor"
