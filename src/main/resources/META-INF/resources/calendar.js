'use strict';
// Partition cells: a calendar for daily datasets (a row per month, a cell per day labelled by its day), a grid of
// months otherwise. Every cell carries its full key (data-key, aria-label, tooltip) and its status.

function cell(p, text) {
  return el('span', {
    class: 'cell status-' + p.status, 'data-key': p.key || '', 'data-status': p.status,
    'data-warned': p.warned ? 'true' : undefined, 'aria-label': (p.key || 'table') + ' ' + STATUS_TEXT[p.status],
    title: describe(p)
  }, text);
}

function calendar(dataset, partitions) {
  const root = el('div', { class: 'calendar', 'data-dataset': dataset.name });
  let month = null;
  let row = null;
  partitions.forEach(p => {
    const day = Number(p.key.slice(8, 10));
    if (p.key.slice(0, 7) !== month) {
      month = p.key.slice(0, 7);
      row = el('div', { class: 'month', 'data-month': month });
      row.appendChild(el('span', { class: 'month-label' }, month));
      root.appendChild(row);
    }
    const c = cell(p, String(day));
    if (row.childElementCount === 1) {
      // The first day shown of a month sits in its day's column; the days after it follow. (CSSOM, which the
      // Content-Security-Policy allows, unlike a style attribute.)
      c.style.gridColumnStart = String(day + 1);
    }
    row.appendChild(c);
  });
  return root;
}

function grid(dataset, partitions) {
  const root = el('div', { class: 'grid', 'data-dataset': dataset.name });
  partitions.forEach(p => root.appendChild(cell(p, p.key ? p.key.slice(0, 7) : 'table')));
  return root;
}
