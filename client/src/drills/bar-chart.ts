import { html, type SafeHtml } from '../html.js';

/** A plain horizontal bar chart in HTML: no chart library, readable on any screen and in tests. */
export function barChart(testid: string, rows: { label: string; value: number; note?: string }[], unit = ''): SafeHtml {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return html`<div class="bar-chart" data-testid="${testid}">${rows
    .map((r) => html`<div class="row" data-label="${r.label}" data-value="${r.value}"><span class="label">${r.label}</span>
      <span class="bar"><span style="width:${Math.round((r.value / max) * 100)}%"></span></span><span class="value">${r.value}${unit}${r.note ? ` ${r.note}` : ''}</span></div>`)}</div>`;
}
