'use strict';

// The reports an integration refused for good: parked until an operator re-sends them (POST /reports/refused/resend).
async function refusedReports() {
  const section = document.getElementById('refused-reports');
  try {
    const response = await fetch('reports/refused', { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error('reports/refused answered HTTP ' + response.status);
    }
    const reports = await response.json();
    section.replaceChildren();
    section.hidden = reports.length === 0;
    if (reports.length === 0) {
      return;
    }
    const heading = document.createElement('h2');
    heading.textContent = 'Refused reports (' + reports.length + '): parked, not retried';
    const rows = document.createElement('table');
    const header = rows.insertRow();
    ['destination', 'report', 'subject', 'refused', 'HTTP', 'reply'].forEach(name => {
      const cell = document.createElement('th');
      cell.textContent = name;
      header.appendChild(cell);
    });
    reports.forEach(report => {
      const row = rows.insertRow();
      row.setAttribute('data-event-id', report.eventId);
      [report.destination, report.type, report.subject, report.refusedAt, report.status, report.reply]
        .forEach(value => { row.insertCell().textContent = value; });
      row.cells[5].className = 'error';
    });
    section.append(heading, rows);
  } catch (e) {
    section.hidden = false;
    section.textContent = 'Refused reports could not be read: ' + e.message;
  }
}

document.getElementById('refresh').addEventListener('click', refusedReports);
refusedReports();
