// Small helpers shared by the views: DOM building, the API client, the URL state, colours and
// span highlighting. Data from the API is always inserted as text (never as HTML).

/** Creates an element: h('a', {href: '#/x', class: 'y', onclick}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An error answered by the API: `status` and the server's `message`. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET (or POST with `body`) a JSON endpoint under /api. Throws ApiError on a non-2xx answer. */
export async function api(path, { params, body, method, contentType } = {}) {
  const url = new URL('/api/' + path, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const headers = {};
  const token = sessionStorage.getItem('dyad-token');
  if (token) headers.Authorization = 'Bearer ' + token;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType || 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, { method: method || (body !== undefined ? 'POST' : 'GET'), headers, body: payload });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401) document.getElementById('token-box').hidden = false;
    throw new ApiError(res.status, (data && data.message) || res.statusText);
  }
  return data;
}

/** The current route: view name, the path after it (an id), and the query parameters. */
export function route() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const parts = (path || 'overview').split('/');
  return {
    view: parts[0] || 'overview',
    id: parts.length > 1 ? decodeURIComponent(parts.slice(1).join('/')) : null,
    params: new URLSearchParams(query || ''),
  };
}

/** The hash for a view with parameters (empty values dropped). */
export function link(view, params = {}, id = null) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return '#/' + view + (id !== null ? '/' + encodeURIComponent(id) : '') + (s ? '?' + s : '');
}

/** The shared filters (period and actor) of the current URL. */
export function filters(params = route().params) {
  return { since: params.get('since') || '', until: params.get('until') || '', actor: params.get('actor') || '' };
}

/** Goes to `view` keeping the shared filters, with `extra` parameters added or replaced. */
export function go(view, extra = {}, id = null) {
  location.hash = link(view, { ...filters(), ...extra }, id);
}

export const QUAD_NAMES = ['verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
export const QUAD_COLORS = ['#68a063', '#2f7d32', '#e8a33d', '#c62828'];

/** Goldstein −10 (red) … 0 (grey) … +10 (green) as a CSS colour. */
export function goldsteinColor(g) {
  const t = Math.max(-1, Math.min(1, (g || 0) / 10));
  const grey = [150, 150, 150];
  const end = t < 0 ? [198, 40, 40] : [46, 125, 50];
  const a = Math.abs(t) ** 0.7;
  const c = grey.map((v, i) => Math.round(v + (end[i] - v) * a));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export function fmt(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : String(n ?? '');
}

export function actorKey(a) {
  if (!a) return '';
  return a.country || a.org || a.code || '';
}

export function actorLabel(a) {
  if (!a) return '—';
  const key = actorKey(a);
  const who = a.name || a.text || key;
  return key && who !== key ? `${who} (${a.code || key})` : who || '—';
}

/**
 * The text with spans marked: `spans` are {start, end, cls, title} in CHARACTER offsets (code
 * points, as dyad reports them). Overlapping spans combine their classes. `offset` is the
 * character position of `text` inside the document the spans refer to.
 */
export function highlight(text, spans, offset = 0, onSpanClick = null) {
  const chars = Array.from(text);
  const classes = chars.map(() => new Set());
  const titles = chars.map(() => []);
  const owners = chars.map(() => null);
  for (const s of spans) {
    const a = Math.max(0, s.start - offset);
    const b = Math.min(chars.length, s.end - offset);
    for (let i = a; i < b; i++) {
      classes[i].add(s.cls);
      if (s.title) titles[i].push(s.title);
      if (s.data !== undefined) owners[i] = s.data;
    }
  }
  const out = h('span', { class: 'hl-text' });
  let i = 0;
  while (i < chars.length) {
    const key = [...classes[i]].sort().join(' ');
    let j = i + 1;
    while (j < chars.length && [...classes[j]].sort().join(' ') === key && owners[j] === owners[i]) j++;
    const piece = chars.slice(i, j).join('');
    if (key) {
      const m = h('mark', { class: key, title: [...new Set(titles[i])].join('; ') || null }, piece);
      if (onSpanClick && owners[i] !== null) {
        const owner = owners[i];
        m.classList.add('clickable');
        m.addEventListener('click', () => onSpanClick(owner));
      }
      out.append(m);
    } else {
      out.append(piece);
    }
    i = j;
  }
  return out;
}

/** Source, target and trigger spans of one event. */
export function eventSpans(ev, extra = {}) {
  const o = ev.offsets || {};
  const spans = [];
  if (o.source) spans.push({ start: o.source[0], end: o.source[1], cls: 'src', title: 'source: ' + actorLabel(ev.source), ...extra });
  if (o.target) spans.push({ start: o.target[0], end: o.target[1], cls: 'trg', title: 'target: ' + actorLabel(ev.target), ...extra });
  if (o.trigger) spans.push({ start: o.trigger[0], end: o.trigger[1], cls: 'trig', title: `trigger: CAMEO ${ev.cameo} (${ev.rule})`, ...extra });
  return spans;
}

/** A message box for an error (in the page, not the console). */
export function errorBox(err) {
  const status = err && err.status ? `${err.status}: ` : '';
  return h('div', { class: 'error', role: 'alert' }, status + (err && err.message ? err.message : String(err)));
}

export function loading() {
  return h('div', { class: 'loading' }, 'Loading…');
}

/** ISO week `YYYY-Www` → [Monday, Sunday] as `YYYY-MM-DD`. */
export function isoWeekRange(p) {
  const m = /^(\d{4})-W(\d{2})$/.exec(p);
  if (!m) return [p, p];
  const year = Number(m[1]);
  const week = Number(m[2]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + (week - 1) * 7);
  const sunday = new Date(monday);
  sunday.setUTCDate(monday.getUTCDate() + 6);
  const iso = (d) => d.toISOString().slice(0, 10);
  return [iso(monday), iso(sunday)];
}

/** A table of events; a click on a row opens the event. */
export function eventsTable(rows, { empty = 'No events match.' } = {}) {
  if (!rows.length) return h('p', { class: 'muted', dataset: { testid: 'no-events' } }, empty);
  return h(
    'table',
    { class: 'events', dataset: { testid: 'events-table' } },
    h('thead', {}, h('tr', {}, ['Date', 'Source', 'Event', 'Target', 'Goldstein', 'Sentence'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      rows.map((r) => {
        const ev = r.event || r;
        const id = ev.event_id;
        return h(
          'tr',
          {
            class: 'clickable',
            dataset: { eventId: id, source: actorKey(ev.source), target: actorKey(ev.target) },
            onclick: () => go('event', {}, id),
          },
          h('td', { class: 'nowrap' }, ev.date || '—'),
          h('td', {}, actorLabel(ev.source)),
          h('td', { class: 'nowrap' }, h('span', { class: 'quad q' + ev.quad_class }, ev.cameo), ' ', (ev.plover && ev.plover.type) || ''),
          h('td', {}, actorLabel(ev.target)),
          h('td', { class: 'num', style: `color: ${goldsteinColor(ev.goldstein)}` }, ev.goldstein.toFixed(1)),
          h('td', { class: 'sentence' }, ev.sentence),
        );
      }),
    ),
  );
}
