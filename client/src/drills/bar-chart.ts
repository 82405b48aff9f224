import { html, type SafeHtml } from '../html.js';

/**
 * A plain horizontal bar chart in HTML with its title: no chart library, readable on any screen and in
 * tests. A row without a value shows `missing` (not a zero bar).
 */
export function barChart(testid: string, title: string, rows: { label: string; value: number | null; note?: string }[], unit = '', missing = '—'): SafeHtml {
  const max = Math.max(1, ...rows.map((r) => r.value ?? 0));
  return html`<figure class="bar-chart" data-testid="${testid}"><figcaption>${title}</figcaption>${rows
    .map((r) => html`<div class="row" data-label="${r.label}" data-value="${r.value ?? ''}"><span class="label">${r.label}</span>
      <span class="bar" aria-hidden="true"><span style="width:${Math.round(((r.value ?? 0) / max) * 100)}%"></span></span><span class="value">${r.value === null ? missing : `${r.value}${unit}`}${r.note ? ` ${r.note}` : ''}</span></div>`)}</figure>`;
}
