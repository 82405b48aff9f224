import '../styles.css';
import './drills.css';
import { api, ApiError, session } from '../api.js';
import { languageSwitch } from '../i18n.js';
import { bootstrap } from '../login.js';
import { t } from './strings.js';
import { barChart } from './bar-chart.js';
import { html, render } from '../html.js';
import type { SessionUser } from '../../../src/contracts/auth.js';
import type { DrillReportView, DrillStatsView, DrillView } from '../../../src/contracts/drills.js';
import type { SquadView } from '../../../src/contracts/squads.js';

const root = document.getElementById('app')!;

async function start(me: SessionUser): Promise<void> {
  const canRun = me.role === 'coordinator' || me.role === 'commander';
  const year = new Date().getFullYear();
  const [stats, drills, squads] = await Promise.all([
    api<DrillStatsView>('GET', `/api/drills/stats?year=${year}`),
    api<DrillView[]>('GET', `/api/drills?year=${year}`),
    api<SquadView[]>('GET', '/api/squads'),
  ]);
  const months = Array.from({ length: 12 }, (_, i) => ({
    label: t().month(i + 1),
    value: stats.byMonth.filter((r) => r.month === i + 1).reduce((a, r) => a + r.count, 0),
  }));
  render(root, html`
    <header><h1>${t().title}</h1><a href="/">⌂</a></header>
    <main class="drills">
      <section class="stats" data-testid="drill-stats">
        <h2>${t().stats(year)}</h2>
        <p class="numbers"><b>${stats.drills}</b> · ${Object.entries(stats.byKind).map(([k, v]) => `${k} ${v}`).join(' · ')} · ${stats.squads} squads · ${stats.people} people · ${stats.hours} h</p>
        <h3>${t().perMonth}</h3>${barChart('chart-month', months)}
        <h3>${t().perArea}</h3>${barChart('chart-area', Object.entries(stats.byArea).map(([label, value]) => ({ label, value })))}
        <a href="#" data-action="csv">${t().csv}</a>
      </section>
      <section class="list">
        ${canRun ? html`<form data-testid="drill-form"><h2>${t().create}</h2>
          <input name="title" required minlength="2" placeholder="${t().titlePlaceholder}" />
          <select name="kind"><option value="drill">${t().kindDrill}</option><option value="training">${t().kindTraining}</option></select>
          <select name="squads" multiple size="5">${squads.map((s) => html`<option value="${s.id}">${s.code} ${s.name}</option>`)}</select>
          <button>${t().create}</button><p class="error"></p></form>` : ''}
        <ol data-testid="drill-list">${drills.slice(0, 60).map((d) => html`<li data-drill-id="${d.id}" data-status="${d.status}">
          <a href="#${d.id}">${d.title}</a> <small>${d.kind} · ${d.status} · ${new Date(d.plannedStart).toLocaleDateString()}</small></li>`)}</ol>
      </section>
      <section class="detail" data-testid="drill-detail"></section>
    </main>`);
  root.querySelector('header')!.append(languageSwitch());
  root.querySelector('[data-action=csv]')!.addEventListener('click', async (e) => {
    e.preventDefault();
    const res = await fetch(`/api/drills/export.csv?year=${year}`, { headers: { authorization: `Bearer ${session.token}` } });
    const url = URL.createObjectURL(await res.blob());
    Object.assign(document.createElement('a'), { href: url, download: `drills-${year}.csv` }).click();
  });
  root.querySelector<HTMLFormElement>('[data-testid=drill-form]')?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    try {
      const drill = await api<DrillView>('POST', '/api/drills', {
        title: data.get('title'), kind: data.get('kind'), squadIds: data.getAll('squads'),
        plannedStart: new Date().toISOString(), plannedEnd: new Date(Date.now() + 2 * 3_600_000).toISOString(),
      });
      location.hash = drill.id;
      location.reload();
    } catch (err) {
      form.querySelector('.error')!.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  const showDetail = () => location.hash.length > 1 && void detail(location.hash.slice(1), squads, canRun);
  window.addEventListener('hashchange', showDetail);
  showDetail();
}

async function detail(id: string, squads: SquadView[], canRun: boolean): Promise<void> {
  const el = root.querySelector<HTMLElement>('[data-testid=drill-detail]')!;
  const report = await api<DrillReportView>('GET', `/api/drills/${id}/report`);
  const d = report.drill;
  const mine = squads.filter((s) => d.squadIds.includes(s.id));
  render(el, html`
    <h2><span class="drill-badge">演练 DRILL</span> ${d.title}</h2>
    <p data-testid="drill-status" data-status="${d.status}">${d.status}</p>
    ${canRun && d.status === 'planned' ? html`<button data-action="start">${t().start}</button>` : ''}
    ${canRun && d.status === 'running' ? html`
      <form data-action="log"><input name="text" required placeholder="${t().log}" /><button>${t().log}</button></form>
      <button data-action="dispatch">${t().send}</button>
      <button data-action="finish">${t().finish}</button>` : ''}
    <h3>${t().report}</h3>
    <p data-testid="drill-ack-median">${t().ackSeconds}: ${report.acknowledge.median ?? '—'} / ${report.acknowledge.worst ?? '—'}</p>
    ${barChart('chart-ack', report.squads.map((s) => ({ label: s.code, value: s.secondsToAcknowledge ?? 0 })), ' s')}
    ${barChart('chart-arrive', report.squads.map((s) => ({ label: s.code, value: s.secondsToArrive ?? 0 })), ' s')}
    <ol class="log">${report.log.map((l) => html`<li>${new Date(l.at).toLocaleTimeString()} ${l.type} ${l.text} <small>${l.by}</small></li>`)}</ol>`);
  const post = async (path: string, body?: unknown) => {
    await api('POST', `/api/drills/${id}/${path}`, body ?? {});
    await detail(id, squads, canRun);
  };
  el.querySelector('[data-action=start]')?.addEventListener('click', () => void post('start'));
  el.querySelector('[data-action=finish]')?.addEventListener('click', () => void post('finish'));
  el.querySelector('[data-action=dispatch]')?.addEventListener('click', () => {
    const at = mine[0]?.basePosition ?? { lat: 24.73, lng: 118.65 };
    void post('dispatches', { squadIds: mine.map((s) => s.id), title: d.title, lat: at.lat, lng: at.lng });
  });
  el.querySelector<HTMLFormElement>('form[data-action=log]')?.addEventListener('submit', (e) => {
    e.preventDefault();
    void post('log', { text: new FormData(e.target as HTMLFormElement).get('text') });
  });
}

void bootstrap({ onUser: start });
