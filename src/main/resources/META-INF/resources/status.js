'use strict';

function el(tag, attributes, text) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).filter(([, value]) => value !== undefined)
    .forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

async function json(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(url + ' answered HTTP ' + response.status);
  }
  return response.json();
}

function label(partition) {
  return partition.value || partition.partition || 'table';
}

function describe(partition) {
  const lines = [label(partition) + ': ' + partition.status];
  if (partition.rows !== undefined) {
    lines.push(partition.rows + ' rows', 'last load ' + partition.lastLoadAt + ' (' + partition.durationMs + ' ms)');
  }
  (partition.checks || []).filter(c => !c.passed).forEach(c =>
    lines.push('check ' + c.name + ' (' + c.severity + ') failed: ' + c.violations + ' violations'));
  if (partition.failure) {
    lines.push('failed ' + partition.failure.at + ': ' + partition.failure.code + ' ' + partition.failure.message);
  }
  return lines.join('\n');
}

function grid(dataset, partitions) {
  const cells = el('div', { class: 'grid', 'data-dataset': dataset.name });
  partitions.forEach(p => cells.appendChild(el('div', {
    class: 'cell status-' + p.status, 'data-partition': p.partition || '', 'data-status': p.status,
    title: describe(p), 'data-warned': p.warned ? 'true' : undefined
  }, label(p))));
  return cells;
}

function table(dataset, partitions) {
  const result = el('table', { 'data-dataset': dataset.name });
  const head = el('tr');
  ['partition', 'status', 'rows', 'last load', 'duration (ms)', 'error'].forEach(h => head.appendChild(el('th', {}, h)));
  result.appendChild(head);
  partitions.filter(p => p.status !== 'never').forEach(p => {
    const row = el('tr', { class: 'status-row-' + p.status, 'data-partition': p.partition || '' });
    row.appendChild(el('td', {}, label(p)));
    row.appendChild(el('td', {}, p.status));
    row.appendChild(el('td', { class: 'num' }, p.rows ?? ''));
    row.appendChild(el('td', {}, p.lastLoadAt ?? ''));
    row.appendChild(el('td', { class: 'num' }, p.durationMs ?? ''));
    row.appendChild(el('td', { class: 'error' }, p.failure ? p.failure.code + ': ' + p.failure.message : ''));
    result.appendChild(row);
  });
  return result;
}

async function render() {
  const container = document.getElementById('datasets');
  const error = document.getElementById('error');
  try {
    const datasets = await json('datasets');
    const sections = await Promise.all(datasets.map(async dataset => {
      const partitions = await json('datasets/' + encodeURIComponent(dataset.name) + '/partitions');
      const section = el('section', { id: 'dataset-' + dataset.name });
      section.appendChild(el('h2', {}, dataset.name));
      const scheme = dataset.partitioning;
      section.appendChild(el('div', { class: 'meta' }, 'table ' + dataset.table + ' · ' + dataset.mode
        + (scheme ? ' · ' + scheme.granularity + ' from ' + scheme.start + (scheme.end ? ' to ' + scheme.end : '') : '')
        + ' · source ' + dataset.source));
      section.appendChild(grid(dataset, partitions));
      section.appendChild(table(dataset, partitions));
      return section;
    }));
    container.replaceChildren(...sections);
    error.textContent = '';
    document.body.setAttribute('data-rendered', 'true');
  } catch (e) {
    error.textContent = 'Cannot load the status: ' + e.message;
  }
}

document.getElementById('refresh').addEventListener('click', render);
render();
