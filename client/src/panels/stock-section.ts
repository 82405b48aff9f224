import { api, ApiError } from '../api.js';
import { facilityStore } from '../facilities.js';
import { currentLang } from '../i18n.js';
import { unitName } from '../layers/names.js';
import { t } from '../strings.js';
import { html, render, type SafeHtml } from '../html.js';
import type { StockLineView } from '../../../src/contracts/facilities.js';

const soon = (date: string) => new Date(date).getTime() - Date.now() < 30 * 86_400_000;

/** A site's reserves: a bar per item (usable against required), expiry warnings, and the stock forms. */
export async function renderStock(el: HTMLElement, facilityId: string, canEdit: boolean, onChanged: () => void): Promise<void> {
  const lines = await api<StockLineView[]>('GET', `/api/facilities/${facilityId}/stock`);
  const ready = lines.every((l) => l.usable >= l.required);
  const name = (l: StockLineView) => (currentLang() === 'en' && l.nameEn ? l.nameEn : l.name);
  render(el, html`
    <h3>${t().reserves} <span class="readiness ${ready ? 'ok' : 'short'}" data-testid="site-readiness" data-ready="${ready}">${ready ? t().ready : t().notReady}</span></h3>
    <ul class="stock">${lines.map((l) => {
      const pct = l.required ? Math.min(100, Math.round((l.usable / l.required) * 100)) : 100;
      const expiring = l.lots.filter((lot) => lot.expiresOn && soon(lot.expiresOn));
      return html`<li data-item="${l.itemCode}"><span class="label">${name(l)}</span>
        <span class="bar ${l.usable < l.required ? 'short' : ''}"><span style="width:${pct}%"></span></span>
        <span class="numbers">${l.usable}/${l.required} ${unitName(l.unit)}</span>
        ${expiring.map((lot) => html`<small class="expiring">⚠ ${lot.quantity} ${t().expiresOn(lot.expiresOn!)}</small>`)}</li>`;
    })}</ul>
    ${canEdit ? stockForm(lines) : ''}`);
  const form = el.querySelector<HTMLFormElement>('form.stock-form');
  if (!form) return;
  const kind = form.querySelector<HTMLSelectElement>('[name=kind]')!;
  const showFields = () => {
    form.querySelector<HTMLElement>('[data-for=transfer]')!.hidden = kind.value !== 'transfer';
    form.querySelector<HTMLElement>('[data-for=receive]')!.hidden = kind.value !== 'receive';
  };
  kind.addEventListener('change', showFields);
  showFields();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const quantity = Number(data.get('quantity'));
    try {
      if (data.get('kind') === 'transfer') {
        await api('POST', '/api/stock-transfers', { fromFacilityId: facilityId, toFacilityId: data.get('to'), itemCode: data.get('item'), quantity });
      } else {
        const expiresOn = String(data.get('expiresOn') ?? '');
        await api('POST', '/api/stock-movements', {
          facilityId, itemCode: data.get('item'), kind: data.get('kind'), quantity,
          ...(data.get('kind') === 'receive' && expiresOn ? { expiresOn } : {}),
        });
      }
      onChanged();
    } catch (err) {
      form.querySelector('.error')!.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
}

function stockForm(lines: StockLineView[]): SafeHtml {
  const option = (v: string, label: string) => html`<option value="${v}">${label}</option>`;
  const sites = [...facilityStore.facilities.values()].sort((a, b) => a.code.localeCompare(b.code));
  return html`
    <form class="stock-form" data-testid="stock-form">
      <select name="kind">${Object.entries(t().stockKinds).map(([k, v]) => option(k, v))}</select>
      <select name="item">${lines.map((l) => option(l.itemCode, currentLang() === 'en' && l.nameEn ? l.nameEn : l.name))}</select>
      <input name="quantity" type="number" min="0" step="1" required placeholder="${t().quantity}" />
      <label data-for="receive"><input name="expiresOn" type="date" /></label>
      <label data-for="transfer">${t().toSite}<select name="to">${sites.map((s) => option(s.id, `${s.code} ${s.name}`))}</select></label>
      <button type="submit">${t().submit}</button>
      <p class="error" role="alert"></p>
    </form>`;
}
