// Analyze: paste a text, see the events dyad codes in it, highlighted at their offsets. Nothing is
// stored (POST /api/analyze).

import { actorLabel, api, errorBox, eventSpans, goldsteinColor, h, highlight, loading } from '../lib.js';

const SAMPLE =
  'Armenian Prime Minister Nikol Pashinyan met Azerbaijani President Ilham Aliyev in Brussels on Monday. ' +
  'Azerbaijan accused Armenia of shelling its positions near the border. ' +
  'The European Union offered to mediate new talks between the two countries.';

export async function analyze(root) {
  const text = h('textarea', { name: 'text', rows: 8, placeholder: 'Paste an article or a paragraph…', dataset: { testid: 'analyze-text' } });
  text.value = sessionStorage.getItem('dyad-analyze') || '';
  const date = h('input', { name: 'date', type: 'date', title: 'Publication date: anchors “on Monday”, “yesterday”' });
  const out = h('section', { dataset: { testid: 'analyze-result' } });
  const run = async () => {
    sessionStorage.setItem('dyad-analyze', text.value);
    out.replaceChildren(loading());
    try {
      const body = { text: text.value };
      if (date.value) body.date = date.value;
      const data = await api('analyze', { body });
      out.replaceChildren(...result(text.value, data));
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  root.append(
    h('h1', {}, 'Analyze a text'),
    h('p', { class: 'muted' }, 'The text is coded with the server’s dictionaries and nothing is stored.'),
    text,
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, 'Published ', date),
      h('button', { type: 'button', class: 'primary', onclick: run, dataset: { testid: 'analyze-run' } }, 'Code it'),
      h('button', { type: 'button', onclick: () => { text.value = SAMPLE; } }, 'Sample text'),
    ),
    out,
  );
  return null;
}

function result(text, data) {
  const events = data.events;
  const spans = events.flatMap((ev, i) => eventSpans(ev, { data: i }));
  const marked = h('div', { class: 'document-text', dataset: { testid: 'analyze-marked', events: events.length } });
  const table = h('table', { class: 'events' });
  const select = (i) => {
    for (const tr of table.querySelectorAll('tr.selected')) tr.classList.remove('selected');
    const tr = table.querySelector(`tr[data-index="${i}"]`);
    if (tr) tr.classList.add('selected');
    marked.replaceChildren(highlight(text, eventSpans(events[i])));
    marked.append(h('div', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); marked.replaceChildren(highlight(text, spans, 0, select)); } }, 'show all events')));
  };
  marked.append(highlight(text, spans, 0, select));
  table.append(
    h('thead', {}, h('tr', {}, ['Source', 'Event', 'Target', 'Goldstein', 'Date', 'Rule'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      events.map((ev, i) =>
        h(
          'tr',
          { class: 'clickable', dataset: { index: i }, onclick: () => select(i) },
          h('td', {}, actorLabel(ev.source)),
          h('td', { class: 'nowrap' }, h('span', { class: 'quad q' + ev.quad_class }, ev.cameo), ' ', (ev.plover && ev.plover.type) || '', ev.negated ? ' (negated)' : '', ev.hypothetical ? ' (hypothetical)' : ''),
          h('td', {}, actorLabel(ev.target)),
          h('td', { class: 'num', style: `color:${goldsteinColor(ev.goldstein)}` }, ev.goldstein.toFixed(1)),
          h('td', { class: 'nowrap' }, ev.date || '—'),
          h('td', {}, h('code', {}, ev.rule)),
        ),
      ),
    ),
  );
  return [
    h('h2', {}, `${events.length} event${events.length === 1 ? '' : 's'}`, h('span', { class: 'muted' }, ` in ${data.sentences.length} sentence${data.sentences.length === 1 ? '' : 's'}`)),
    h('p', { class: 'legend' }, h('mark', { class: 'src' }, 'source'), ' ', h('mark', { class: 'trg' }, 'target'), ' ', h('mark', { class: 'trig' }, 'trigger'), h('span', { class: 'muted' }, ' — click a mark or a row to isolate one event')),
    marked,
    events.length ? table : h('p', { class: 'muted' }, 'No events found in this text.'),
  ];
}
