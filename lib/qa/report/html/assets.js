// qa-report page: loading assets lazily. A page opened from file:// cannot fetch, so data reach
// it as "data assets" (lib/qa/report/data_asset.hpp): small classic scripts in the assets folder
// whose only statement dispatches a 'qa-data' event, carrying a JSON payload, on their own
// script element. loadDataAsset adds that element when a viewer needs the data (so a page of
// 10,000 runs loads nothing it does not show) and resolves with the payload; loadScript loads a
// library copied into the assets folder (plotly.js). Both accept only relative URLs made of
// URL-safe characters, i.e. what the report writes; the page's Content Security Policy limits
// scripts to its own folder anyway.

const loadedAssets = new Map();

function assetUrl(url) {
  return typeof url === 'string' && /^[A-Za-z0-9._~%/-]+$/.test(url) && !url.startsWith('/') ? url : null;
}

function addScript(url, onEvent) {
  const safe = assetUrl(url);
  if (!safe) return Promise.reject(new Error('not an asset URL: ' + text(url)));
  if (loadedAssets.has(safe)) return loadedAssets.get(safe);
  const promise = new Promise((resolve, reject) => {
    const node = document.createElement('script');
    if (onEvent) node.addEventListener('qa-data', (event) => resolve(event.detail), { once: true });
    node.addEventListener('load', () => { if (!onEvent) resolve(null); else reject(new Error('no data in ' + safe)); }, { once: true });
    node.addEventListener('error', () => reject(new Error('cannot load ' + safe)), { once: true });
    node.src = safe;
    document.head.appendChild(node);
  });
  loadedAssets.set(safe, promise);
  return promise;
}

// Return a promise of the payload of the data asset at `url`.
function loadDataAsset(url) {
  return addScript(url, true);
}

// Return a promise that resolves once the script at `url` has run.
function loadScript(url) {
  return addScript(url, false);
}
