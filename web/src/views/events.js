// Events (filterable list), one event (its sentence with source, trigger and target highlighted
// at their offsets, and the rule that fired), documents, and one document with all its events.

import { actorKey, actorLabel, api, eventSpans, eventsTable, filters, fmt, go, goldsteinColor, h, highlight, link, QUAD_NAMES, route } from '../lib.js';

const EXTRA = ['root', 'code', 'plover', 'text', 'dyad', 'negated', 'hypothetical'];

export async function eventsList(root, r) {
  const f = filters();
  const p = Object.fromEntries(EXTRA.map((k) => [k, r.params.get(k) || '']));
  const offset = Number(r.params.get('offset') || 0);
  const limit = 50;
  const data = await api('events', { params: { ...f, ...p, limit, offset } });

  const input = (name, placeholder, size) => h('input', { name, value: p[name], placeholder, size });
  const form = h(
    'form',
    { class: 'toolbar', dataset: { testid: 'events-filters' } },
    h('label', {}, 'Words ', input('text', 'e.g. ceasefire', 14)),
    h('label', {}, ' CAMEO roots ', input('root', '14,19', 6)),
    h('label', {}, ' code ', input('code', '057', 4)),
    h('label', {}, ' PLOVER ', input('plover', 'CONSULT', 9)),
    h('label', {}, ' dyad ', input('dyad', 'ARM,AZE', 9)),
    h('label', {}, ' ', h('input', { type: 'checkbox', name: 'negated', checked: p.negated === 'true' }), ' negated'),
    h('label', {}, ' ', h('input', { type: 'checkbox', name: 'hypothetical', checked: p.hypothetical === 'true' }), ' hypothetical'),
    h('button', { type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const extra = {};
    for (const k of EXTRA) {
      const el = form.elements[k];
      extra[k] = el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value.trim();
    }
    go('events', extra);
  });
  const page = (o) => link('events', { ...f, ...p, offset: o || '' });
  root.append(
    h('h1', {}, 'Events'),
    form,
    h('p', { class: 'muted', dataset: { testid: 'events-count' } }, data.events.length ? `Events ${fmt(offset + 1)}–${fmt(offset + data.events.length)}${data.next_offset ? '' : ' (end)'}` : ''),
    eventsTable(data.events),
    h(
      'div',
      { class: 'pager' },
      offset > 0 ? h('a', { href: page(Math.max(0, offset - limit)) }, '← previous') : null,
      data.next_offset ? h('a', { href: page(data.next_offset), dataset: { testid: 'next-page' } }, 'next →') : null,
    ),
  );
  return null;
}

function actorCell(a) {
  if (!a) return '—';
  const key = actorKey(a);
  return h(
    'span',
    {},
    h('a', { href: link('overview', { ...filters(), actor: key }), title: 'Filter by this actor' }, actorLabel(a)),
    a.sector ? h('span', { class: 'muted' }, ` · sector ${a.sector}`) : null,
  );
}

export async function eventView(root, r) {
  const data = await api('events/' + encodeURIComponent(r.id));
  const row = data.event;
  const ev = row.event;
  const doc = data.document;
  const span = data.sentence_span;
  // The sentence as it stands in the document, so that the document's offsets apply.
  const chars = Array.from(doc.text || '');
  const sentenceText = span ? chars.slice(span[0], span[1]).join('') : ev.sentence;
  const offset = span ? span[0] : 0;
  const spans = span ? eventSpans(ev) : [];
  const loc = ev.location;
  const other = ev.target ? actorKey(ev.target) : '';

  const field = (k, ...v) => [h('dt', {}, k), h('dd', {}, ...v)];
  root.append(
    h('h1', {}, `${actorLabel(ev.source)} → ${ev.target ? actorLabel(ev.target) : '—'}`),
    h('blockquote', { class: 'sentence-view', dataset: { testid: 'event-sentence' } }, highlight(sentenceText, spans, offset)),
    h('p', { class: 'legend' }, h('mark', { class: 'src' }, 'source'), ' ', h('mark', { class: 'trg' }, 'target'), ' ', h('mark', { class: 'trig' }, 'trigger')),
    h(
      'dl',
      { class: 'facts', dataset: { testid: 'event-facts' } },
      field('Source', actorCell(ev.source)),
      field('Target', actorCell(ev.target)),
      field('Event', h('span', { class: 'quad q' + ev.quad_class }, `CAMEO ${ev.cameo}`), ` (root ${ev.root}) · PLOVER ${(ev.plover && ev.plover.type) || '—'}${ev.plover && ev.plover.mode ? ' / ' + ev.plover.mode : ''}`),
      field('Goldstein', h('span', { style: `color:${goldsteinColor(ev.goldstein)}` }, ev.goldstein.toFixed(1)), ` · QuadClass ${ev.quad_class} (${QUAD_NAMES[ev.quad_class - 1] || '?'})`),
      field('Trigger', ev.offsets && ev.offsets.trigger ? `“${chars.slice(ev.offsets.trigger[0], ev.offsets.trigger[1]).join('')}”` : '—'),
      field('Rule', h('code', { dataset: { testid: 'event-rule' } }, ev.rule)),
      field('Date', ev.date || '—', ` (precision ${ev.date_precision}, from ${ev.date_source || '—'})`),
      field('Place', loc ? `${loc.name}${loc.country ? ', ' + loc.country : ''}${typeof loc.lat === 'number' ? ` (${loc.lat.toFixed(3)}, ${loc.lon.toFixed(3)})` : ''}` : '—'),
      field('Flags', [ev.negated ? 'negated' : null, ev.hypothetical ? 'hypothetical' : null, ev.symmetric ? 'symmetric' : null].filter(Boolean).join(', ') || 'factual'),
      field('Document', h('a', { href: link('document', {}, row.doc.id), dataset: { testid: 'event-document' } }, row.doc.title || row.doc.id), row.doc.date ? ` · ${row.doc.date}` : '', row.doc.source ? ` · ${row.doc.source}` : ''),
      field('Offsets', `sentence ${ev.sentence_index}, trigger [${ev.offsets.trigger.join(', ')}]${ev.offsets.source ? `, source [${ev.offsets.source.join(', ')}]` : ''}${ev.offsets.target ? `, target [${ev.offsets.target.join(', ')}]` : ''} (characters in the document)`),
      field('Ids', `event ${ev.event_id} · cluster ${row.cluster_id}`),
    ),
    other ? h('p', {}, h('a', { href: link('dyad', { ...filters(), a: actorKey(ev.source), b: other }) }, `The ${actorKey(ev.source)} ↔ ${other} dyad over time →`)) : null,
  );
  return null;
}

export async function documentsList(root, r) {
  const offset = Number(r.params.get('offset') || 0);
  const limit = 50;
  const data = await api('documents', { params: { limit, offset } });
  const page = (o) => link('documents', { ...filters(), offset: o || '' });
  root.append(
    h('h1', {}, 'Documents'),
    h(
      'table',
      { class: 'compact', dataset: { testid: 'documents-table' } },
      h('thead', {}, h('tr', {}, h('th', {}, 'Date'), h('th', {}, 'Title'), h('th', {}, 'Id'), h('th', {}, 'Source'))),
      h(
        'tbody',
        {},
        data.documents.map((d) =>
          h('tr', { class: 'clickable', onclick: () => go('document', {}, d.id) }, h('td', { class: 'nowrap' }, d.date || '—'), h('td', {}, d.title || '—'), h('td', {}, d.id), h('td', {}, d.source || d.url || '—')),
        ),
      ),
    ),
    h('div', { class: 'pager' }, offset > 0 ? h('a', { href: page(Math.max(0, offset - limit)) }, '← previous') : null, data.next_offset ? h('a', { href: page(data.next_offset) }, 'next →') : null),
  );
  return null;
}

export async function documentView(root, r) {
  const data = await api('documents/' + encodeURIComponent(r.id));
  const m = data.meta;
  // Every event's trigger is marked; a click on one opens the event.
  const spans = [];
  for (const row of data.events) {
    const ev = row.event;
    spans.push({ start: ev.offsets.trigger[0], end: ev.offsets.trigger[1], cls: 'trig', title: `${actorKey(ev.source)} → ${actorKey(ev.target)} CAMEO ${ev.cameo}`, data: ev.event_id });
  }
  root.append(
    h('h1', {}, m.title || m.id),
    h('p', { class: 'muted', dataset: { testid: 'document-meta' } }, [m.date, m.source, m.url].filter(Boolean).join(' · '), ` · id ${m.id} · added ${m.added}`, m.provenance ? ` · read from ${m.provenance}` : ''),
    h('div', { class: 'document-text', dataset: { testid: 'document-text' } }, highlight(data.text, spans, 0, (id) => go('event', {}, id))),
    h('h2', {}, `${data.events.length} events`),
    eventsTable(data.events),
  );
  return null;
}

export { route };
