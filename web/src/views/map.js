// Map: geocoded events, clustered, over a world basemap that ships with the dashboard (Natural
// Earth countries from the world-atlas package; no tile server is contacted).

import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import { feature } from 'topojson-client';
import { api, filters, fmt, go, h, QUAD_COLORS } from '../lib.js';

let world = null;
async function basemap() {
  if (!world) {
    const topo = (await import('world-atlas/countries-50m.json')).default;
    world = feature(topo, topo.objects.countries);
  }
  return world;
}

export async function map(root) {
  const f = filters();
  const [data, countries] = await Promise.all([
    api('locations', { params: { since: f.since, until: f.until, actor: f.actor, limit: 5000 } }),
    basemap(),
  ]);
  root.append(
    h('h1', {}, 'Map', f.actor ? ` — ${f.actor}` : ''),
    h('p', { class: 'muted', dataset: { testid: 'map-count' } }, data.events.length ? `${fmt(data.events.length)} geocoded events${data.truncated ? ' (the most recently stored)' : ''}. Click a cluster to zoom in, a marker for its event.` : 'No geocoded events match: events appear here once their places carry coordinates.'),
  );
  const box = h('div', { class: 'map', dataset: { testid: 'map', markers: data.events.length } });
  root.append(box);
  const m = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: true, zoomSnap: 0.5 });
  m.attributionControl.setPrefix(false);
  m.attributionControl.addAttribution('Natural Earth');
  L.geoJSON(countries, { style: { color: '#9aa5b1', weight: 0.7, fillColor: '#eef1f4', fillOpacity: 1 }, interactive: false }).addTo(m);
  const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  const points = [];
  for (const e of data.events) {
    if (typeof e.lat !== 'number' || typeof e.lon !== 'number') continue;
    const icon = L.divIcon({ className: 'dot-icon', html: `<span style="background:${QUAD_COLORS[(e.quad_class || 1) - 1]}"></span>`, iconSize: [12, 12] });
    const marker = L.marker([e.lat, e.lon], { icon, title: `${e.source || '?'} → ${e.target || '?'} ${e.cameo}` });
    const popup = h(
      'div',
      { class: 'popup' },
      h('b', {}, `${e.source || '?'} → ${e.target || '?'}`),
      h('div', {}, `CAMEO ${e.cameo} · ${e.date || 'undated'}`),
      h('div', {}, e.place || ''),
      h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); go('event', {}, e.event_id); } }, 'open the event →'),
    );
    marker.bindPopup(popup);
    cluster.addLayer(marker);
    points.push([e.lat, e.lon]);
  }
  m.addLayer(cluster);
  if (points.length) m.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 7 });
  else m.setView([30, 20], 2);
  return () => m.remove();
}
