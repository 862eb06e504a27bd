// Overview: counts, the timeline of events by QuadClass, top actors and dyads, and the first
// events matching the filters.

import { api, eventsTable, filters, fmt, go, h, QUAD_COLORS, QUAD_NAMES, goldsteinColor } from '../lib.js';
import { barChart } from '../charts.js';

export async function overview(root) {
  const f = filters();
  const period = { since: f.since, until: f.until };
  const [stats, timeline, actors, dyads, events] = await Promise.all([
    api('stats'),
    api('timeline', { params: { ...period, actor: f.actor } }),
    api('top/actors', { params: { ...period, limit: 15 } }),
    api('top/dyads', { params: { ...period, limit: 15 } }),
    api('events', { params: { ...period, actor: f.actor, limit: 15 } }),
  ]);

  const card = (label, value, testid) => h('div', { class: 'card' }, h('div', { class: 'card-value', dataset: { testid } }, fmt(value)), h('div', { class: 'card-label' }, label));
  root.append(
    h('h1', {}, 'Overview', f.actor ? ` — ${f.actor}` : ''),
    h(
      'div',
      { class: 'cards' },
      card('documents', stats.documents, 'stat-documents'),
      card('events (mentions)', stats.events, 'stat-events'),
      card('event clusters', stats.clusters, 'stat-clusters'),
      card('sentences', stats.sentences, 'stat-sentences'),
      h('div', { class: 'card' }, h('div', { class: 'card-value small' }, `${stats.first_month || '—'} … ${stats.last_month || '—'}`), h('div', { class: 'card-label' }, 'months with dyadic events')),
    ),
  );

  const total = timeline.rows.reduce((s, r) => s + r.events, 0);
  const chartBox = h('div', { class: 'chart', dataset: { testid: 'timeline', events: total } });
  root.append(h('h2', {}, 'Events by QuadClass', h('span', { class: 'muted' }, ` (${fmt(total)} factual dyadic events${f.actor ? ' with ' + f.actor : ''})`)), chartBox);
  const chart = barChart(chartBox, {
    categories: timeline.rows.map((r) => r.period),
    series: QUAD_NAMES.map((name, q) => ({ name, color: QUAD_COLORS[q], stack: 'quad', data: timeline.rows.map((r) => r.quad[q]) })),
    onClick: (period) => go('events', { since: period, until: period }),
  });

  const actorTable = h(
    'table',
    { class: 'compact', dataset: { testid: 'top-actors' } },
    h('thead', {}, h('tr', {}, h('th', {}, 'Actor'), h('th', {}, 'Events'), h('th', {}, 'as source'), h('th', {}, 'as target'))),
    h(
      'tbody',
      {},
      actors.actors.map((a) =>
        h(
          'tr',
          { class: 'clickable' + (a.key === f.actor ? ' selected' : ''), dataset: { actor: a.key }, title: 'Filter by this actor', onclick: () => go('overview', { actor: a.key === f.actor ? '' : a.key }) },
          h('td', {}, h('b', {}, a.key), ' ', h('span', { class: 'muted' }, a.label !== a.key ? a.label : '')),
          h('td', { class: 'num' }, fmt(a.events)),
          h('td', { class: 'num' }, fmt(a.as_source)),
          h('td', { class: 'num' }, fmt(a.as_target)),
        ),
      ),
    ),
  );
  const dyadTable = h(
    'table',
    { class: 'compact', dataset: { testid: 'top-dyads' } },
    h('thead', {}, h('tr', {}, h('th', {}, 'Source → target'), h('th', {}, 'Events'), h('th', {}, 'Mean Goldstein'))),
    h(
      'tbody',
      {},
      dyads.dyads.map((d) =>
        h(
          'tr',
          { class: 'clickable', title: 'Open the dyad', onclick: () => go('dyad', { a: d.source, b: d.target }) },
          h('td', {}, `${d.source} → ${d.target}`),
          h('td', { class: 'num' }, fmt(d.events)),
          h('td', { class: 'num', style: `color: ${goldsteinColor(d.goldstein_mean)}` }, d.goldstein_mean.toFixed(2)),
        ),
      ),
    ),
  );
  root.append(
    h('div', { class: 'columns' }, h('section', {}, h('h2', {}, 'Top actors'), actorTable), h('section', {}, h('h2', {}, 'Top dyads'), dyadTable)),
    h('h2', {}, 'Events', h('a', { class: 'more', href: '#', onclick: (e) => { e.preventDefault(); go('events'); } }, 'all events →')),
    eventsTable(events.events),
  );
  return () => chart.dispose();
}
