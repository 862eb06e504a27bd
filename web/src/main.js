// The dyad dashboard: a hash router over seven views. The shared filters (period, actor) live in
// the URL (#/view?since=…&until=…&actor=…) so that any view can be bookmarked and shared.

import './style.css';
import { api, errorBox, filters, h, link, route } from './lib.js';
import { overview } from './views/overview.js';
import { network } from './views/network.js';
import { dyad } from './views/dyad.js';
import { map } from './views/map.js';
import { eventsList, eventView, documentView, documentsList } from './views/events.js';
import { analyze } from './views/analyze.js';

const VIEWS = {
  overview,
  network,
  dyad,
  map,
  events: eventsList,
  event: eventView,
  documents: documentsList,
  document: documentView,
  analyze,
};

const form = document.getElementById('filters');
const main = document.getElementById('view');
let cleanup = null;
let generation = 0;

function syncForm() {
  const f = filters();
  for (const k of ['since', 'until', 'actor']) form.elements[k].value = f[k];
  form.elements.token.value = sessionStorage.getItem('dyad-token') || '';
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const token = form.elements.token.value.trim();
  if (token) sessionStorage.setItem('dyad-token', token);
  const r = route();
  const params = Object.fromEntries(r.params.entries());
  for (const k of ['since', 'until', 'actor']) params[k] = form.elements[k].value.trim();
  delete params.offset;
  const view = r.view === 'event' || r.view === 'document' ? 'events' : r.view;
  location.hash = link(view, params, view === r.view ? r.id : null);
});

document.getElementById('clear-filters').addEventListener('click', () => {
  const r = route();
  const params = Object.fromEntries(r.params.entries());
  for (const k of ['since', 'until', 'actor', 'offset']) delete params[k];
  location.hash = link(r.view, params, r.id);
});

async function render() {
  const r = route();
  // The hash this render is for: `data-route` tells a reader (and the browser tests) which
  // route the `data-ready` flag belongs to, since a hash change renders asynchronously.
  const hash = location.hash;
  syncForm();
  const mine = ++generation;
  if (cleanup) {
    try {
      cleanup();
    } catch {
      // a view's teardown must never block the next view
    }
    cleanup = null;
  }
  for (const a of document.querySelectorAll('#nav a')) {
    const v = a.dataset.view;
    a.classList.toggle('active', v === r.view || (v === 'events' && r.view === 'event') || (v === 'documents' && r.view === 'document'));
    a.href = link(v, filters());
  }
  const view = VIEWS[r.view];
  main.replaceChildren();
  main.dataset.view = r.view;
  main.dataset.ready = 'false';
  main.dataset.route = hash;
  if (!view) {
    main.append(errorBox(new Error(`No view called “${r.view}”.`)));
    main.dataset.ready = 'true';
    return;
  }
  try {
    const c = await view(main, r);
    if (mine === generation) cleanup = c || null;
    else if (c) c();
  } catch (err) {
    if (mine === generation) main.append(errorBox(err));
  }
  if (mine === generation) main.dataset.ready = 'true';
}

async function loadActors() {
  try {
    const data = await api('actors', { params: { limit: 300 } });
    const list = document.getElementById('actor-list');
    list.replaceChildren(...data.actors.map((a) => h('option', { value: a.key }, `${a.label} (${a.kind})`)));
  } catch {
    // the datalist is a convenience; the filter works without it
  }
}

window.addEventListener('hashchange', render);
if (!location.hash) history.replaceState(null, '', '#/overview');
render();
loadActors();
