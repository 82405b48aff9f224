import { esc } from '../html.js';

/** A plain horizontal bar chart in HTML: no chart library, readable on any screen and in tests. */
export function barChart(testid: string, rows: { label: string; value: number; note?: string }[], unit = ''): string {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return `<div class="bar-chart" data-testid="${testid}">${rows
    .map((r) => `<div class="row" data-label="${esc(r.label)}" data-value="${r.value}"><span class="label">${esc(r.label)}</span>
      <span class="bar"><span style="width:${Math.round((r.value / max) * 100)}%"></span></span><span class="value">${r.value}${unit}${r.note ? ` ${esc(r.note)}` : ''}</span></div>`)
    .join('')}</div>`;
}
