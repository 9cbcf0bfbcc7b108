'use strict';
// Small SVG bar charts, one bar per partition with a committed load, at the partition's place in time: a gap in the
// bars is a gap in the loads. Bars are coloured by status; a failed partition without a load is a red tick.

const SVG = 'http://www.w3.org/2000/svg';
const CHART = { width: 560, height: 70, left: 48, bottom: 16 };

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function barClass(p) {
  return p.status === 'failed' ? 'mark status-failed' : p.warned ? 'mark warned' : 'mark status-materialized';
}

/** A chart of field (rows, durationMs) over partitions; unit names it in tooltips. */
function barChart(dataset, title, partitions, field, unit) {
  const plot = CHART.width - CHART.left;
  const step = plot / partitions.length;
  const max = Math.max(1, ...partitions.map(p => p[field] ?? 0));
  const root = svg('svg', {
    class: 'chart', 'data-dataset': dataset.name, 'data-field': field, role: 'img', 'aria-label': title,
    width: CHART.width, height: CHART.height + CHART.bottom, viewBox: `0 0 ${CHART.width} ${CHART.height + CHART.bottom}`
  });
  root.appendChild(svg('text', { x: CHART.left - 4, y: 10, class: 'axis end' }, max.toLocaleString('en')));
  root.appendChild(svg('text', { x: CHART.left - 4, y: CHART.height, class: 'axis end' }, '0'));
  root.appendChild(svg('line', { x1: CHART.left, x2: CHART.width, y1: CHART.height, y2: CHART.height, class: 'base' }));
  const width = Math.max(1, step - (step > 4 ? 1 : 0));
  // Warned and failed partitions are drawn last and at least 2 px wide, so that one stands out among thousands.
  const bars = svg('g', {});
  const marked = svg('g', {});
  partitions.forEach((p, i) => {
    const x = (CHART.left + i * step).toFixed(1);
    const layer = p.status === 'failed' || p.warned ? marked : bars;
    const w = layer === marked ? Math.max(2, width) : width;
    if (p[field] !== null && p[field] !== undefined) {
      const h = Math.max(1, (p[field] / max) * (CHART.height - 12));
      const bar = svg('rect', {
        class: barClass(p), 'data-key': p.key || '', x, y: (CHART.height - h).toFixed(1), width: w, height: h.toFixed(1)
      });
      layer.appendChild(bar);
    } else if (p.status === 'failed') {
      marked.appendChild(svg('rect', { class: 'tick status-failed', 'data-key': p.key || '', x, y: CHART.height - 6,
        width: w, height: 6 }));
    }
  });
  root.append(bars, marked);
  const first = partitions[0].key || 'table';
  root.appendChild(svg('text', { x: CHART.left, y: CHART.height + 13, class: 'axis' }, first));
  root.appendChild(svg('text', { x: CHART.width, y: CHART.height + 13, class: 'axis end' },
    partitions[partitions.length - 1].key || ''));
  // One listener names the bar under the pointer in the caption: a <title> per bar made 3,650 bars 40% slower.
  const byKey = new Map(partitions.map(p => [p.key || '', p]));
  const hovered = el('span', { class: 'hovered' });
  root.addEventListener('mouseover', e => {
    const p = byKey.get(e.target.dataset && e.target.dataset.key);
    hovered.textContent = p ? ' · ' + (p.key || 'table') + ': ' + (p[field] ?? STATUS_TEXT[p.status])
      + (p[field] === null || p[field] === undefined ? '' : ' ' + unit) : '';
  });
  const caption = el('figcaption', {}, title);
  caption.appendChild(hovered);
  const figure = el('figure', { class: 'chart-box' });
  figure.append(caption, root);
  return figure;
}
