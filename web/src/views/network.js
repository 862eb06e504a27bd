// Network: actors as nodes (sized by events), directed relations as edges (width by events,
// colour from conflict to cooperation by mean Goldstein). A click on a node filters by that actor;
// a click on an edge opens the dyad.

import cytoscape from 'cytoscape';
import { api, filters, fmt, go, goldsteinColor, h } from '../lib.js';

export async function network(root, r) {
  const f = filters();
  const minEvents = r.params.get('min_events') || '';
  const data = await api('network', { params: { since: f.since, until: f.until, actor: f.actor, min_events: minEvents, max_edges: 250 } });

  const minInput = h('input', { type: 'number', min: 1, value: minEvents || 1, size: 4, name: 'min_events' });
  root.append(
    h('h1', {}, 'Actor network', f.actor ? ` — ${f.actor}` : ''),
    h(
      'div',
      { class: 'toolbar' },
      h('span', { dataset: { testid: 'network-counts' } }, `${fmt(data.nodes.length)} actors, ${fmt(data.edges.length)} relations`, data.truncated ? ` (busiest ${data.edges.length} of ${fmt(data.total_edges)})` : ''),
      h('label', {}, ' min. events per edge ', minInput),
      h('button', { type: 'button', onclick: () => go('network', { min_events: minInput.value }) }, 'Show'),
      f.actor ? h('button', { type: 'button', onclick: () => go('network', { actor: '', min_events: minEvents }) }, 'All actors') : null,
      h('span', { class: 'legend' }, h('i', { style: `background:${goldsteinColor(-10)}` }), ' conflict ', h('i', { style: `background:${goldsteinColor(0)}` }), ' neutral ', h('i', { style: `background:${goldsteinColor(10)}` }), ' cooperation'),
    ),
  );
  const box = h('div', { class: 'graph', dataset: { testid: 'network', nodes: data.nodes.length, edges: data.edges.length } });
  root.append(box, h('p', { class: 'muted' }, 'Click an actor to filter every view by it; click a relation to open the dyad. Drag to move, scroll to zoom.'));
  if (!data.nodes.length) {
    box.append(h('p', { class: 'muted center' }, 'No relations in this period.'));
    return null;
  }
  const maxW = Math.max(...data.nodes.map((n) => n.weight));
  const maxE = Math.max(...data.edges.map((e) => e.events));
  const elements = [
    ...data.nodes.map((n) => ({
      data: { id: n.id, label: n.id, title: n.label, weight: n.weight, size: 18 + 42 * Math.sqrt(n.weight / maxW), color: n.kind === 'org' ? '#6b46c1' : '#2b6cb0' },
      classes: n.id === f.actor ? 'focus' : '',
    })),
    ...data.edges.map((e, i) => ({
      data: {
        id: 'e' + i,
        source: e.source,
        target: e.target,
        events: e.events,
        width: 1 + 9 * Math.sqrt(e.events / maxE),
        color: goldsteinColor(e.goldstein_mean),
        label: `${e.events} · ${e.goldstein_mean.toFixed(1)}`,
      },
    })),
  ];
  const cy = cytoscape({
    container: box,
    elements,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(label)',
          width: 'data(size)',
          height: 'data(size)',
          'background-color': 'data(color)',
          color: '#222',
          'font-size': 11,
          'text-valign': 'center',
          'text-halign': 'center',
          'text-outline-color': '#fff',
          'text-outline-width': 2,
        },
      },
      { selector: 'node.focus', style: { 'border-width': 4, 'border-color': '#f6ad55' } },
      {
        selector: 'edge',
        style: {
          width: 'data(width)',
          'line-color': 'data(color)',
          'target-arrow-color': 'data(color)',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          opacity: 0.8,
        },
      },
      { selector: 'edge:selected, edge.hover', style: { label: 'data(label)', 'font-size': 10, opacity: 1 } },
    ],
    layout: { name: 'cose', animate: false, randomize: false, nodeRepulsion: () => 9000, idealEdgeLength: () => 90, padding: 20 },
  });
  cy.on('tap', 'node', (e) => {
    const id = e.target.id();
    go('network', { actor: id === f.actor ? '' : id, min_events: minEvents });
  });
  cy.on('tap', 'edge', (e) => go('dyad', { a: e.target.data('source'), b: e.target.data('target') }));
  cy.on('mouseover', 'edge', (e) => e.target.addClass('hover'));
  cy.on('mouseout', 'edge', (e) => e.target.removeClass('hover'));
  // Tests and scripts reach the graph through the container.
  box.cy = cy;
  return () => cy.destroy();
}
