// Dyad: two actors' series in both directions (events and mean Goldstein per day, week, month or
// year); a click on any point (or table row) lists the events behind it.

import { api, eventsTable, filters, fmt, go, goldsteinColor, h, isoWeekRange, loading } from '../lib.js';
import { dyadChart } from '../charts.js';

export async function dyad(root, r) {
  const f = filters();
  let a = r.params.get('a') || '';
  let b = r.params.get('b') || '';
  const by = r.params.get('by') || 'month';
  const picked = r.params.get('p') || '';
  if (!a || !b) {
    const top = await api('top/dyads', { params: { since: f.since, until: f.until, limit: 1 } });
    if (!top.dyads.length) {
      root.append(h('h1', {}, 'Dyad'), h('p', { class: 'muted' }, 'No dyadic events in this period.'));
      return null;
    }
    a = a || top.dyads[0].source;
    b = b || top.dyads[0].target;
  }
  const inA = h('input', { name: 'a', value: a, list: 'actor-list', size: 8 });
  const inB = h('input', { name: 'b', value: b, list: 'actor-list', size: 8 });
  const inBy = h('select', { name: 'by' }, ['day', 'week', 'month', 'year'].map((p) => h('option', { value: p, selected: p === by }, p)));
  const show = () => go('dyad', { a: inA.value.trim(), b: inB.value.trim(), by: inBy.value });
  root.append(
    h('h1', {}, `Dyad ${a} ↔ ${b}`),
    h(
      'form',
      { class: 'toolbar', onsubmit: (e) => { e.preventDefault(); show(); } },
      h('label', {}, 'Actor A ', inA),
      h('label', {}, ' Actor B ', inB),
      h('label', {}, ' by ', inBy),
      h('button', { type: 'submit' }, 'Show'),
      h('button', { type: 'button', onclick: () => go('dyad', { a: b, b: a, by }) }, 'Swap'),
    ),
  );

  const data = await api('series', { params: { a, b, by, since: f.since, until: f.until } });
  // Keep the periods inside the shared period filter (prefix comparison, like the store).
  const inRange = (p) => {
    const key = by === 'week' ? isoWeekRange(p)[0] : p;
    if (f.since && key.slice(0, f.since.length) < f.since.slice(0, key.length)) return false;
    if (f.until && key.slice(0, f.until.length) > f.until.slice(0, key.length)) return false;
    return true;
  };
  const rows = data.rows.filter((row) => inRange(row.period));
  const periods = [...new Set(rows.map((row) => row.period))].sort();
  const cell = (p, src, tgt) => rows.find((row) => row.period === p && row.source === src && row.target === tgt);
  const dirs = [
    { name: `${a} → ${b}`, src: a, tgt: b, color: '#2b6cb0' },
    { name: `${b} → ${a}`, src: b, tgt: a, color: '#c05621' },
  ];
  if (a === b) dirs.pop();
  const directions = dirs.map((d) => ({
    ...d,
    events: periods.map((p) => cell(p, d.src, d.tgt)?.events || 0),
    goldstein: periods.map((p) => {
      const c = cell(p, d.src, d.tgt);
      return c ? Number(c.goldstein_mean.toFixed(2)) : null;
    }),
  }));

  if (!periods.length) {
    root.append(h('p', { class: 'muted', dataset: { testid: 'dyad-empty' } }, `No factual events between ${a} and ${b}${f.since || f.until ? ' in this period' : ''}.`));
    return null;
  }
  const chartBox = h('div', { class: 'chart', dataset: { testid: 'dyad-chart', periods: periods.length } });
  const detail = h('section', { class: 'detail', dataset: { testid: 'dyad-events' } });
  const select = (p) => {
    const u = new URLSearchParams(location.hash.split('?')[1] || '');
    u.set('a', a);
    u.set('b', b);
    u.set('by', by);
    u.set('p', p);
    history.replaceState(null, '', '#/dyad?' + u.toString());
    showEvents(detail, a, b, by, p);
  };
  root.append(chartBox);
  const chart = dyadChart(chartBox, { categories: periods, directions, onClick: select });

  const table = h(
    'table',
    { class: 'compact', dataset: { testid: 'dyad-table' } },
    h('thead', {}, h('tr', {}, h('th', {}, 'Period'), directions.map((d) => [h('th', {}, `${d.name} events`), h('th', {}, 'mean Goldstein')]))),
    h(
      'tbody',
      {},
      periods.map((p) =>
        h(
          'tr',
          { class: 'clickable', dataset: { period: p }, onclick: () => select(p) },
          h('td', {}, p),
          directions.map((d, i) => {
            const g = d.goldstein[periods.indexOf(p)];
            return [h('td', { class: 'num' }, fmt(d.events[periods.indexOf(p)])), h('td', { class: 'num', style: g === null ? '' : `color:${goldsteinColor(g)}` }, g === null ? '—' : g.toFixed(2))];
          }),
        ),
      ),
    ),
  );
  root.append(detail, h('h2', {}, 'By period'), table);
  if (picked) showEvents(detail, a, b, by, picked);
  else detail.append(h('p', { class: 'muted' }, 'Click a bar, a point or a row to see the events behind it.'));
  return () => chart.dispose();
}

async function showEvents(box, a, b, by, p) {
  const [since, until] = by === 'week' ? isoWeekRange(p) : [p, p];
  box.replaceChildren(h('h2', {}, `Events ${a} ↔ ${b}, ${p}`), loading());
  try {
    const data = await api('events', { params: { dyad: `${a},${b}`, since, until, limit: 200 } });
    box.replaceChildren(h('h2', {}, `Events ${a} ↔ ${b}, ${p}`, h('span', { class: 'muted' }, ` (${data.events.length}${data.next_offset ? '+' : ''})`)), eventsTable(data.events));
  } catch (err) {
    box.replaceChildren(h('div', { class: 'error' }, err.message));
  }
}
