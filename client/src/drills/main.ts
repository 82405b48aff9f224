import '../styles.css';
import './drills.css';
import { api, ApiError, session } from '../api.js';
import { bootstrap } from '../login.js';
import { currentLang, languageSwitch } from '../i18n.js';
import { Realtime } from '../realtime.js';
import { t } from './strings.js';
import { t as ct } from '../strings.js';
import { barChart } from './bar-chart.js';
import { html, render } from '../html.js';
import type { SessionUser } from '../../../src/contracts/auth.js';
import type { DrillReportView, DrillStatsView, DrillView } from '../../../src/contracts/drills.js';
import type { AreaView } from '../../../src/contracts/facilities.js';
import { SKILLS, type SquadView } from '../../../src/contracts/squads.js';

const root = document.getElementById('app')!;
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Local date and time as people read it. */
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(currentLang(), { dateStyle: 'medium', timeStyle: 'short' }) : '—');
/** A Date as the value of a datetime-local input (local time). */
const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

interface PageState {
  me: SessionUser;
  canRun: boolean;
  year: number;
  years: number[];
  month: number;
  areas: AreaView[];
  squads: SquadView[];
  drills: DrillView[];
  stats?: DrillStatsView;
  selected: Set<string>;
  filter: { area: string; skill: string; q: string };
}

const areaName = (s: PageState, code: string) => {
  const a = s.areas.find((x) => x.code === code);
  return a ? (currentLang() === 'en' ? (a.nameEn ?? a.name) : a.name) : code;
};

async function start(me: SessionUser): Promise<void> {
  const now = new Date();
  const [years, areas, squads] = await Promise.all([
    api<number[]>('GET', '/api/drills/years'),
    api<AreaView[]>('GET', '/api/areas'),
    api<SquadView[]>('GET', '/api/squads'),
  ]);
  const asked = Number(new URLSearchParams(location.search).get('year'));
  const s: PageState = {
    me, canRun: me.role === 'coordinator' || me.role === 'commander',
    year: years.includes(asked) ? asked : now.getFullYear(), years, month: now.getMonth() + 1,
    areas, squads, drills: [], selected: new Set(), filter: { area: '', skill: '', q: '' },
  };
  render(root, html`
    <header><h1>${t().title}</h1>
      <label class="year">${t().year} <select data-testid="year-select">${years.map((y) => html`<option value="${y}" ${y === s.year ? 'selected' : ''}>${y}</option>`)}</select></label>
      <span class="live" data-testid="live" data-state="reconnecting"></span>
      <a href="/">⌂ ${t().home}</a></header>
    <main class="drills">
      <div class="col">
        <section class="stats" data-testid="drill-stats"></section>
        <section class="calendar" data-testid="drill-calendar"></section>
      </div>
      <div class="col">
        ${s.canRun ? planForm(s) : ''}
        <section class="list"><h2>${t().list}</h2><ol data-testid="drill-list"></ol></section>
      </div>
      <section class="detail" data-testid="drill-detail"><p class="muted">${t().pickOne}</p></section>
    </main>`);
  root.querySelector('header')!.append(languageSwitch());
  root.querySelector<HTMLSelectElement>('[data-testid=year-select]')!.addEventListener('change', (e) => {
    s.year = Number((e.target as HTMLSelectElement).value);
    s.month = s.year === now.getFullYear() ? now.getMonth() + 1 : 1;
    void loadYear(s);
  });
  if (s.canRun) wirePlanForm(s);
  await loadYear(s);
  const showDetail = () => location.hash.length > 1 && void detail(s, location.hash.slice(1));
  window.addEventListener('hashchange', showDetail);
  showDetail();

  // Statuses, reports and the calendar follow the drills' and their dispatches' events.
  const realtime = new Realtime(session.token!, me.username);
  const live = root.querySelector<HTMLElement>('[data-testid=live]')!;
  realtime.onState((state) => {
    live.dataset.state = state;
    live.textContent = state === 'connected' ? `● ${t().live}` : '○';
  });
  let timer: number | undefined;
  realtime.onEvent((e) => {
    if (!e.drillId || !(e.type.startsWith('drill.') || e.type.startsWith('dispatch.'))) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (e.type.startsWith('drill.')) void loadYear(s);
      if (location.hash.slice(1) === e.drillId) void detail(s, e.drillId!);
    }, 300);
  });
}

async function loadYear(s: PageState): Promise<void> {
  const [stats, drills] = await Promise.all([
    api<DrillStatsView>('GET', `/api/drills/stats?year=${s.year}`),
    api<DrillView[]>('GET', `/api/drills?year=${s.year}`),
  ]);
  s.stats = stats;
  s.drills = drills;
  renderStats(s);
  renderCalendar(s);
  renderList(s);
}

function renderStats(s: PageState): void {
  const stats = s.stats!;
  const months = Array.from({ length: 12 }, (_, i) => ({
    label: t().month(i + 1),
    value: stats.byMonth.filter((r) => r.month === i + 1).reduce((a, r) => a + r.count, 0),
  }));
  const el = root.querySelector<HTMLElement>('[data-testid=drill-stats]')!;
  render(el, html`
    <h2>${t().stats(s.year)}</h2>
    <p class="numbers" data-testid="drill-numbers">${t().numbers(stats.drills, stats.squads, stats.people, Math.round(stats.hours))}
      · ${Object.entries(stats.byKind).map(([k, v]) => `${t().kinds[k] ?? ''} ${v}`).join(' · ')}</p>
    ${barChart('chart-month', t().perMonth, months)}
    ${barChart('chart-area', t().perArea, Object.entries(stats.byArea).map(([code, value]) => ({ label: areaName(s, code), value })))}
    <a href="#" data-action="csv">⬇ ${t().csv}</a>`);
  el.querySelector('[data-action=csv]')!.addEventListener('click', async (e) => {
    e.preventDefault();
    const res = await fetch(`/api/drills/export.csv?year=${s.year}&tz=${encodeURIComponent(zone)}`, { headers: { authorization: `Bearer ${session.token}` } });
    const url = URL.createObjectURL(await res.blob());
    Object.assign(document.createElement('a'), { href: url, download: `drills-${s.year}.csv` }).click();
  });
}

/** A month of the year as a grid, Monday first, with the drills planned on each day (local time). */
function renderCalendar(s: PageState): void {
  const el = root.querySelector<HTMLElement>('[data-testid=drill-calendar]')!;
  const first = new Date(s.year, s.month - 1, 1);
  const days = new Date(s.year, s.month, 0).getDate();
  const lead = (first.getDay() + 6) % 7;
  const onDay = (day: number) => s.drills.filter((d) => {
    const at = new Date(d.plannedStart);
    return at.getFullYear() === s.year && at.getMonth() === s.month - 1 && at.getDate() === day;
  });
  const cells = [...Array.from({ length: lead }, () => html`<div class="day blank"></div>`), ...Array.from({ length: days }, (_, i) => {
    const list = onDay(i + 1);
    return html`<div class="day${list.length ? ' has' : ''}" data-day="${i + 1}"><span class="n">${i + 1}</span>${list.map((d) => html`
      <a href="#${d.id}" class="cal-drill status-${d.status}" data-testid="calendar-drill" data-drill-id="${d.id}" title="${d.title} · ${t().statuses[d.status]}">${d.title}</a>`)}</div>`;
  })];
  render(el, html`<div class="cal-head"><button data-action="prev-month" aria-label="${t().prevMonth}" ${s.month === 1 ? 'disabled' : ''}>‹</button>
      <h2 data-testid="calendar-month">${t().calendar} · ${t().monthTitle(s.year, s.month)}</h2>
      <button data-action="next-month" aria-label="${t().nextMonth}" ${s.month === 12 ? 'disabled' : ''}>›</button></div>
    <div class="cal-grid">${t().weekdays.map((w) => html`<div class="wd">${w}</div>`)}${cells}</div>`);
  el.querySelector('[data-action=prev-month]')!.addEventListener('click', () => { s.month -= 1; renderCalendar(s); });
  el.querySelector('[data-action=next-month]')!.addEventListener('click', () => { s.month += 1; renderCalendar(s); });
}

function renderList(s: PageState): void {
  const el = root.querySelector<HTMLElement>('[data-testid=drill-list]')!;
  render(el, s.drills.length ? html`${s.drills.slice(0, 80).map((d) => html`<li data-drill-id="${d.id}" data-status="${d.status}">
    <a href="#${d.id}">${d.title}</a><br><small>${t().kinds[d.kind]} · <span class="status status-${d.status}" data-testid="drill-list-status">${t().statuses[d.status]}</span>
    · ${when(d.plannedStart)}${d.areas.length ? ` · ${d.areas.map((a) => areaName(s, a)).join(', ')}` : ''}</small></li>`)}`
    : html`<li class="muted">${t().empty}</li>`);
}

function planForm(s: PageState) {
  const start = new Date();
  start.setDate(start.getDate() + 1);
  start.setHours(9, 0, 0, 0);
  const end = new Date(start.getTime() + 2 * 3_600_000);
  return html`<form data-testid="drill-form" class="plan"><h2>${t().create}</h2>
    <label>${t().titleLabel} <input name="title" required minlength="2" maxlength="200" /></label>
    <label>${t().kindLabel} <select name="kind"><option value="drill">${t().kinds.drill}</option><option value="training">${t().kinds.training}</option></select></label>
    <label>${t().scenarioLabel} <textarea name="scenario" rows="2" maxlength="2000"></textarea></label>
    <fieldset class="areas"><legend>${t().areasLabel}</legend>${s.areas.map((a) => html`<label class="check"><input type="checkbox" name="areas" value="${a.code}" /> ${areaName(s, a.code)}</label>`)}</fieldset>
    <div class="period"><label>${t().startLabel} <input type="datetime-local" name="start" required value="${localInput(start)}" /></label>
      <label>${t().endLabel} <input type="datetime-local" name="end" required value="${localInput(end)}" /></label></div>
    <fieldset class="squads"><legend>${t().squadsLabel} · <span data-testid="squads-selected">${t().selected(0)}</span></legend>
      <div class="squad-filters">
        <label>${t().filterArea} <select data-testid="squad-area"><option value="">${t().anyArea}</option>${s.areas.map((a) => html`<option value="${a.code}">${areaName(s, a.code)}</option>`)}</select></label>
        <label>${t().filterSkill} <select data-testid="squad-skill"><option value="">${t().anySkill}</option>${SKILLS.map((k) => html`<option value="${k}">${ct().skills[k] ?? k}</option>`)}</select></label>
        <label>${t().search} <input type="search" data-testid="squad-search" /></label>
      </div>
      <div class="squad-tools"><span data-testid="squads-shown"></span><button type="button" data-action="select-shown">${t().selectShown}</button><button type="button" data-action="clear-squads">${t().clearSelection}</button></div>
      <div class="squad-pick" data-testid="squad-pick"></div>
    </fieldset>
    <button>${t().create}</button><p class="error" role="alert"></p></form>`;
}

function shownSquads(s: PageState): SquadView[] {
  const q = s.filter.q.trim().toLowerCase();
  return s.squads.filter((sq) => (!s.filter.area || sq.areaCode === s.filter.area)
    && (!s.filter.skill || sq.skills.includes(s.filter.skill))
    && (!q || sq.code.toLowerCase().includes(q) || sq.name.toLowerCase().includes(q)));
}

function wirePlanForm(s: PageState): void {
  const form = root.querySelector<HTMLFormElement>('[data-testid=drill-form]')!;
  const pick = form.querySelector<HTMLElement>('[data-testid=squad-pick]')!;
  const count = () => (form.querySelector('[data-testid=squads-selected]')!.textContent = t().selected(s.selected.size));
  const renderPick = () => {
    const shown = shownSquads(s);
    form.querySelector('[data-testid=squads-shown]')!.textContent = t().shown(shown.length);
    render(pick, html`${shown.map((sq) => html`<label class="check" data-squad-code="${sq.code}"><input type="checkbox" value="${sq.id}" ${s.selected.has(sq.id) ? 'checked' : ''} />
      ${sq.code} ${sq.name} <small>${areaName(s, sq.areaCode)} · ${sq.skills.map((k) => ct().skills[k] ?? k).join(', ')}</small></label>`)}`);
    count();
  };
  pick.addEventListener('change', (e) => {
    const box = e.target as HTMLInputElement;
    if (box.checked) s.selected.add(box.value);
    else s.selected.delete(box.value);
    count();
  });
  form.querySelector('[data-testid=squad-area]')!.addEventListener('change', (e) => { s.filter.area = (e.target as HTMLSelectElement).value; renderPick(); });
  form.querySelector('[data-testid=squad-skill]')!.addEventListener('change', (e) => { s.filter.skill = (e.target as HTMLSelectElement).value; renderPick(); });
  form.querySelector('[data-testid=squad-search]')!.addEventListener('input', (e) => { s.filter.q = (e.target as HTMLInputElement).value; renderPick(); });
  form.querySelector('[data-action=select-shown]')!.addEventListener('click', () => { shownSquads(s).forEach((sq) => s.selected.add(sq.id)); renderPick(); });
  form.querySelector('[data-action=clear-squads]')!.addEventListener('click', () => { s.selected.clear(); renderPick(); });
  renderPick();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const error = form.querySelector('.error')!;
    if (!s.selected.size) return void (error.textContent = t().noSquadChosen);
    try {
      const drill = await api<DrillView>('POST', '/api/drills', {
        title: data.get('title'), kind: data.get('kind'), scenario: String(data.get('scenario') ?? '').trim() || undefined,
        areas: data.getAll('areas'), squadIds: [...s.selected],
        // datetime-local is local time: the Date constructor reads it so, toISOString sends the instant.
        plannedStart: new Date(String(data.get('start'))).toISOString(), plannedEnd: new Date(String(data.get('end'))).toISOString(),
      });
      error.textContent = '';
      form.reset();
      s.selected.clear();
      renderPick();
      const year = new Date(drill.plannedStart).getFullYear();
      if (!s.years.includes(year)) s.years = [...s.years, year].sort((a, b) => b - a);
      s.year = year;
      s.month = new Date(drill.plannedStart).getMonth() + 1;
      const select = root.querySelector<HTMLSelectElement>('[data-testid=year-select]')!;
      render(select, html`${s.years.map((y) => html`<option value="${y}" ${y === s.year ? 'selected' : ''}>${y}</option>`)}`);
      await loadYear(s);
      location.hash = drill.id;
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
}

async function detail(s: PageState, id: string): Promise<void> {
  const el = root.querySelector<HTMLElement>('[data-testid=drill-detail]')!;
  const report = await api<DrillReportView>('GET', `/api/drills/${id}/report`);
  const d = report.drill;
  const mine = s.squads.filter((sq) => d.squadIds.includes(sq.id));
  const areaCenter = s.areas.find((a) => a.code === d.areas[0]);
  const at = areaCenter ?? mine[0]?.basePosition ?? { lat: 24.73, lng: 118.65 };
  const secondsRow = (v: number | null) => v;
  render(el, html`
    <h2><span class="drill-badge">${t().drill}</span> ${d.title}</h2>
    <p><span class="status status-${d.status}" data-testid="drill-status" data-status="${d.status}">${t().statuses[d.status]}</span>
      · ${t().kinds[d.kind]} · ${t().period(when(d.plannedStart), when(d.plannedEnd))}</p>
    ${d.scenario ? html`<p class="scenario">${d.scenario}</p>` : ''}
    ${d.areas.length ? html`<p>${t().areasLabel}: ${d.areas.map((a) => areaName(s, a)).join(', ')}</p>` : ''}
    ${s.canRun && d.status === 'planned' ? html`<button data-action="start">${t().start}</button> <button data-action="cancel">${t().cancel}</button>` : ''}
    ${s.canRun && d.status === 'running' ? html`
      <form data-action="log"><label>${t().logLabel} <input name="text" required /></label><button>${t().log}</button></form>
      <form data-action="dispatch" data-testid="exercise-dispatch" class="exercise-dispatch"><h3>${t().dispatchTitle}</h3>
        <label>${t().incidentTitle} <input name="title" required minlength="2" maxlength="200" value="${d.title}" /></label>
        <fieldset><legend>${t().position}</legend>
          <label>${t().atArea} <select data-testid="dispatch-area">${s.areas.map((a) => html`<option value="${a.code}" ${a.code === areaCenter?.code ? 'selected' : ''}>${areaName(s, a.code)}</option>`)}</select></label>
          <label>${t().lat} <input name="lat" type="number" step="0.0001" min="-90" max="90" required value="${at.lat.toFixed(4)}" /></label>
          <label>${t().lng} <input name="lng" type="number" step="0.0001" min="-180" max="180" required value="${at.lng.toFixed(4)}" /></label></fieldset>
        <fieldset><legend>${t().squadsLabel}</legend>${mine.map((sq) => html`<label class="check"><input type="checkbox" name="squads" value="${sq.id}" checked /> ${sq.code} ${sq.name}</label>`)}</fieldset>
        <button data-action="send">${t().send}</button><p class="note" role="status"></p></form>
      <button data-action="finish">${t().finish}</button>` : ''}
    <h3>${t().report}</h3>
    <p data-testid="drill-ack-median">${t().medianWorst(t().ackLabel, report.acknowledge.median, report.acknowledge.worst)}</p>
    <p data-testid="drill-arrive-median">${t().medianWorst(t().arriveLabel, report.arrive.median, report.arrive.worst)}</p>
    ${barChart('chart-ack', t().ackChart, report.squads.map((r) => ({ label: r.code, value: secondsRow(r.secondsToAcknowledge) })), t().seconds, t().notYet)}
    ${barChart('chart-arrive', t().arriveChart, report.squads.map((r) => ({ label: r.code, value: secondsRow(r.secondsToArrive) })), t().seconds, t().notYet)}
    <ol class="log">${report.log.map((l) => html`<li><time>${when(l.at)}</time> ${l.text} <small>${l.by}</small></li>`)}</ol>`);
  const post = async (path: string, body?: unknown) => {
    await api('POST', `/api/drills/${id}/${path}`, body ?? {});
    await detail(s, id);
    void loadYear(s);
  };
  el.querySelector('[data-action=start]')?.addEventListener('click', () => void post('start'));
  el.querySelector('[data-action=cancel]')?.addEventListener('click', () => void post('cancel'));
  el.querySelector('[data-action=finish]')?.addEventListener('click', () => void post('finish'));
  const dispatchForm = el.querySelector<HTMLFormElement>('form[data-action=dispatch]');
  dispatchForm?.querySelector('[data-testid=dispatch-area]')!.addEventListener('change', (e) => {
    const a = s.areas.find((x) => x.code === (e.target as HTMLSelectElement).value);
    if (!a) return;
    dispatchForm.querySelector<HTMLInputElement>('[name=lat]')!.value = a.lat.toFixed(4);
    dispatchForm.querySelector<HTMLInputElement>('[name=lng]')!.value = a.lng.toFixed(4);
  });
  dispatchForm?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = new FormData(dispatchForm);
    const note = dispatchForm.querySelector('.note')!;
    const squadIds = data.getAll('squads');
    if (!squadIds.length) return void (note.textContent = t().noSquadChosen);
    try {
      await api('POST', `/api/drills/${id}/dispatches`, { squadIds, title: data.get('title'), lat: Number(data.get('lat')), lng: Number(data.get('lng')) });
      await detail(s, id);
      el.querySelector('form[data-action=dispatch] .note')!.textContent = t().sentTo(squadIds.length);
    } catch (err) {
      note.textContent = err instanceof ApiError ? err.message : String(err);
    }
  });
  el.querySelector<HTMLFormElement>('form[data-action=log]')?.addEventListener('submit', (e) => {
    e.preventDefault();
    void post('log', { text: new FormData(e.target as HTMLFormElement).get('text') });
  });
}

void bootstrap({ onUser: start });
