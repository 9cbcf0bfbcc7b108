'use strict';
// The status page: per dataset a summary line, the failures, the partitions (calendar.js), rows and durations
// (charts.js) and, on demand, the full table. Text from the API only ever goes into textContent and attributes.

const STATUS_TEXT = { materialized: 'materialized', failed: 'failed', never: 'never requested' };
const MAX_RANGES = 20;

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

/** The summary's columns as one object per partition; problems (failed, warned) carry their details. */
function partitionsOf(summary) {
  const c = summary.partitions;
  const warned = new Set(c.warned);
  const details = new Map(summary.problems.map(p => [p.partition || '', p]));
  return c.key.map((key, i) => ({
    key, status: c.status[i], rows: c.rows[i], durationMs: c.durationMs[i], lastLoadAt: c.lastLoadAt[i],
    warned: warned.has(key || ''), detail: details.get(key || '')
  }));
}

function failedChecks(detail) {
  return ((detail && detail.checks) || []).filter(c => !c.passed);
}

function violations(check) {
  return check.violations + (check.violations === 1 ? ' violation' : ' violations');
}

function describe(p) {
  const lines = [(p.key || 'table') + ': ' + STATUS_TEXT[p.status]];
  if (p.rows !== null && p.rows !== undefined) {
    lines.push(p.rows + ' rows', 'last load ' + time(p.lastLoadAt) + ' (' + p.durationMs + ' ms)');
  }
  failedChecks(p.detail).forEach(c =>
    lines.push('check ' + c.name + ' (' + c.severity + ') failed: ' + violations(c)));
  if (p.detail && p.detail.failure) {
    const f = p.detail.failure;
    lines.push('failed ' + time(f.at) + ': ' + f.code + ' ' + f.message);
  }
  return lines.join('\n');
}

/** An instant from the API to the second: 2026-12-07 05:54:05Z. */
function time(instant) {
  return instant ? instant.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

function range(r) {
  return (r.from === r.to ? (r.from || 'table') : r.from + ' … ' + r.to) + ' ' + STATUS_TEXT[r.status]
    + (r.partitions > 1 ? ' (' + r.partitions + ')' : '');
}

function summaryLine(dataset, summary) {
  const n = summary.counts;
  const total = n.materialized + n.failed + n.never;
  const box = el('div', { class: 'summary', 'data-dataset': dataset.name });
  box.appendChild(el('p', { class: 'counts' }, total.toLocaleString('en') + ' partitions: '
    + n.materialized.toLocaleString('en') + ' materialized' + (n.warned ? ' (' + n.warned + ' warned)' : '')
    + ', ' + n.failed.toLocaleString('en') + ' failed, ' + n.never.toLocaleString('en') + ' never requested'));
  if (summary.ranges.length > 0) {
    const list = el('ul', { class: 'ranges' });
    summary.ranges.slice(0, MAX_RANGES).forEach(r =>
      list.appendChild(el('li', { class: 'range status-text-' + r.status, 'data-from': r.from || '',
        'data-to': r.to || '' }, range(r))));
    if (summary.ranges.length > MAX_RANGES) {
      list.appendChild(el('li', {}, 'and ' + (summary.ranges.length - MAX_RANGES) + ' more ranges'));
    }
    box.appendChild(list);
  }
  return box;
}

/** Failed partitions and failed warn checks, above everything else of the dataset. */
function problems(dataset, summary) {
  const box = el('div', { class: 'problems', 'data-dataset': dataset.name });
  if (summary.problemCount === 0) {
    return box;
  }
  box.appendChild(el('h3', {}, 'Failures and failed checks (' + summary.problemCount
    + (summary.problemCount > summary.problems.length ? ', first ' + summary.problems.length + ' shown' : '') + ')'));
  const table = el('table');
  summary.problems.forEach(p => {
    const key = p.partition || 'table';
    if (p.status === 'failed' && p.failure) {
      table.appendChild(problemRow(p, 'failed', key, p.failure.code, p.failure.message, time(p.failure.at)));
    }
    failedChecks(p).forEach(c => table.appendChild(problemRow(p, 'warned', key, 'check ' + c.name + ' (' + c.severity
      + ')', violations(c), time(p.lastLoadAt))));
  });
  box.appendChild(table);
  return box;
}

function problemRow(p, kind, key, code, message, at) {
  const row = el('tr', { class: 'problem-' + kind, 'data-key': p.partition || '' });
  [key, code, message, at].forEach((text, i) => row.appendChild(el('td', { class: ['key', 'code', 'error', 'at'][i] }, text)));
  return row;
}

/** Every partition that was ever requested; built when first opened, so a long table costs nothing until then. */
function fullTable(dataset, partitions) {
  const requested = partitions.filter(p => p.status !== 'never');
  const details = el('details', { class: 'all', 'data-dataset': dataset.name });
  details.appendChild(el('summary', {}, 'All ' + requested.length + ' requested partitions'));
  details.addEventListener('toggle', () => {
    if (!details.open || details.querySelector('table')) {
      return;
    }
    const table = el('table', { 'data-dataset': dataset.name });
    const head = el('tr');
    ['partition', 'status', 'rows', 'last load', 'duration (ms)', 'error'].forEach(h => head.appendChild(el('th', {}, h)));
    table.appendChild(head);
    requested.forEach(p => {
      const row = el('tr', { class: 'status-row-' + p.status, 'data-key': p.key || '' });
      const failure = p.detail && p.detail.failure;
      [p.key || 'table', p.status, p.rows, time(p.lastLoadAt), p.durationMs, failure ? failure.code + ': ' + failure.message : '']
        .forEach((text, i) => row.appendChild(el('td', { class: i === 2 || i === 4 ? 'num' : undefined }, text ?? '')));
      table.appendChild(row);
    });
    details.appendChild(table);
  });
  return details;
}

async function section(dataset) {
  const summary = await json('datasets/' + encodeURIComponent(dataset.name) + '/summary');
  const partitions = partitionsOf(summary);
  const result = el('section', { id: 'dataset-' + dataset.name, 'data-dataset': dataset.name });
  result.appendChild(el('h2', {}, dataset.name));
  const scheme = dataset.partitioning;
  result.appendChild(el('div', { class: 'meta' }, 'table ' + dataset.table + ' · ' + dataset.mode
    + (scheme ? ' · ' + scheme.granularity + ' from ' + scheme.start + (scheme.end ? ' to ' + scheme.end : '') : '')
    + ' · source ' + dataset.source));
  result.appendChild(summaryLine(dataset, summary));
  result.appendChild(problems(dataset, summary));
  // The charts before the cells: ten years of days are 120 calendar rows, the charts stay in view above them.
  if (partitions.length > 1 && partitions.some(p => p.rows !== null)) {
    const charts = el('div', { class: 'charts' });
    charts.appendChild(barChart(dataset, 'rows per partition', partitions, 'rows', 'rows'));
    charts.appendChild(barChart(dataset, 'load duration per partition (ms)', partitions, 'durationMs', 'ms'));
    result.appendChild(charts);
  }
  result.appendChild(summary.granularity === 'daily' ? calendar(dataset, partitions) : grid(dataset, partitions));
  if (partitions.some(p => p.status !== 'never')) {
    result.appendChild(fullTable(dataset, partitions));
  }
  return result;
}

async function render() {
  const container = document.getElementById('datasets');
  const error = document.getElementById('error');
  try {
    const datasets = await json('datasets');
    container.replaceChildren(...await Promise.all(datasets.map(section)));
    error.textContent = '';
    // For tests and measurements: when the page finished drawing, in ms since navigation started.
    document.body.setAttribute('data-rendered-ms', String(Math.round(performance.now())));
    document.body.setAttribute('data-rendered', 'true');
  } catch (e) {
    error.textContent = 'Cannot load the status: ' + e.message;
  }
}

document.getElementById('refresh').addEventListener('click', render);
render();
