import '../styles.css';
import '../squad/phone.css';
import './site.css';
import { api, ApiError, session } from '../api.js';
import { bootstrap, logout } from '../login.js';
import { currentLang, languageSwitch } from '../i18n.js';
import { Realtime } from '../realtime.js';
import { html, render } from '../html.js';
import { t } from './strings.js';
import type { SessionUser } from '../../../src/contracts/auth.js';
import type { ManagedSiteView, RollCallView } from '../../../src/contracts/field.js';
import { SITE_STATUSES } from '../../../src/contracts/field.js';
import type { ActivationView, ConversionTaskView } from '../../../src/contracts/plans.js';
import type { SupplyItemView } from '../../../src/contracts/supplies.js';

const root = document.getElementById('app')!;
const SITES_KEY = 'pingji.site.sites';
const CALLS_KEY = 'pingji.site.rollCalls';
const TASKS_KEY = 'pingji.site.tasks';
const ACTIVATIONS_KEY = 'pingji.site.activations';
/** The events after which a site's open tasks or its conversion may have changed. */
const TASK_EVENTS = new Set(['conversion.task_done', 'facility.ready', 'conversion.overdue', 'plan.activated', 'plan.level_changed', 'plan.stood_down']);
const ROMAN: Record<number, string> = { 4: 'Ⅳ', 3: 'Ⅲ', 2: 'Ⅱ', 1: 'Ⅰ' };

const clock = (iso: string) => new Date(iso).toLocaleTimeString(currentLang(), { hour: '2-digit', minute: '2-digit' });
const siteLabel = (s: ManagedSiteView) => (currentLang() === 'en' && s.nameEn ? s.nameEn : s.name);
const failure = (e: unknown) => (e instanceof ApiError || e instanceof Error ? e.message : '');

/** Keeps the last answer of a read, so the page still shows something on a poor connection. */
function remember<T>(key: string, value?: T): T | undefined {
  if (value !== undefined) localStorage.setItem(key, JSON.stringify(value));
  const raw = localStorage.getItem(key);
  return raw ? (JSON.parse(raw) as T) : undefined;
}

async function start(user: SessionUser): Promise<void> {
  render(root, html`
    <header class="phone-header"><b>${t().title} · ${user.username}</b><span data-testid="connection"></span>
      <button data-action="logout">${t().logout}</button></header>
    <main class="phone-main site-main">
      <section aria-labelledby="calls-title"><h2 id="calls-title">${t().rollCallsTitle}</h2><div data-testid="roll-calls"></div></section>
      <section aria-labelledby="tasks-title"><h2 id="tasks-title">${t().tasksTitle}</h2><div data-testid="conversion-tasks"></div>
        <p data-testid="task-result" role="status"></p></section>
      <section aria-labelledby="sites-title"><h2 id="sites-title">${t().sitesTitle}</h2><ul class="site-list" data-testid="sites"></ul></section>
      <section aria-labelledby="report-title"><h2 id="report-title">${t().reportTitle}</h2><form data-testid="report-form" class="site-form"></form>
        <p data-testid="report-result" role="status"></p></section>
    </main>`);
  root.querySelector('[data-action=logout]')!.addEventListener('click', logout);
  root.querySelector('header')!.insertBefore(languageSwitch(), root.querySelector('[data-action=logout]'));
  const callsEl = root.querySelector<HTMLElement>('[data-testid=roll-calls]')!;
  const sitesEl = root.querySelector<HTMLElement>('[data-testid=sites]')!;
  const tasksEl = root.querySelector<HTMLElement>('[data-testid=conversion-tasks]')!;
  const taskResult = root.querySelector<HTMLElement>('[data-testid=task-result]')!;
  const form = root.querySelector<HTMLFormElement>('[data-testid=report-form]')!;
  const result = root.querySelector<HTMLElement>('[data-testid=report-result]')!;
  let sites: ManagedSiteView[] = remember<ManagedSiteView[]>(SITES_KEY) ?? [];
  let calls: RollCallView[] = remember<RollCallView[]>(CALLS_KEY) ?? [];
  let items: SupplyItemView[] = [];
  let tasks: ConversionTaskView[] = remember<ConversionTaskView[]>(TASKS_KEY) ?? [];
  let activations: ActivationView[] = remember<ActivationView[]>(ACTIVATIONS_KEY) ?? [];

  const showCalls = () => {
    if (!calls.length) return render(callsEl, html`<p class="phone-message">${t().noRollCall}</p>`);
    render(callsEl, html`${calls.map((c) => {
      const mine = c.entries.find((e) => e.userId === user.id);
      const late = Date.parse(c.deadline) < Date.now();
      return html`<article class="roll-call" data-testid="roll-call" data-id="${c.id}">
        ${c.exercise ? html`<p class="drill-badge">${t().drill}</p>` : ''}
        <p class="roll-call-message">${c.message}</p>
        <p>${mine?.answeredAt ? t().answered : late ? t().overdue : t().answerBy(clock(c.deadline))}</p>
        ${mine?.answeredAt ? '' : html`<button class="big-button" data-action="answer" data-id="${c.id}">${t().answer}</button>`}
      </article>`;
    })}`);
  };
  const showSites = () => {
    render(sitesEl, html`${sites.map((s) => html`<li data-testid="site" data-code="${s.code}">
      <b>${siteLabel(s)}</b> <span class="mode">${t().modes[s.mode] ?? ''}</span><br />
      ${s.status ? t().siteLine(t().statuses[s.status] ?? '', s.occupancy, s.capacity) : t().notReported}
      ${s.capacity ? html`<meter min="0" max="${s.capacity}" value="${Math.min(s.occupancy, s.capacity)}" aria-label="${t().occupancy}"></meter>` : ''}
    </li>`)}`);
  };
  /** Per site: where its conversion stands in the active activations, and its open tasks, each with a big "done". */
  const showTasks = () => {
    const covering = (siteId: string) => activations.flatMap((a) => a.sites.filter((x) => x.facilityId === siteId && !x.releasedAt).map((x) => ({ a, x })));
    const shown = sites.filter((s) => covering(s.id).length || tasks.some((k) => k.facilityId === s.id));
    if (!shown.length) return render(tasksEl, html`<p class="phone-message">${t().noTasks}</p>`);
    const activationOf = (id: string) => activations.find((a) => a.id === id);
    render(tasksEl, html`${shown.map((s) => {
      const open = tasks.filter((k) => k.facilityId === s.id);
      return html`<article class="site-tasks" data-testid="site-tasks" data-code="${s.code}">
        <h3>${siteLabel(s)}</h3>
        ${covering(s.id).map(({ a, x }) => html`<p class="conversion" data-testid="conversion" data-state="${x.conversion}">
          ${a.exercise ? html`<span class="drill-badge">${t().drill}</span> ` : ''}${currentLang() === 'en' ? a.planNameEn || a.planName : a.planName} ${ROMAN[a.level] ?? ''}:
          <b>${x.switched ? t().conversion[x.conversion] ?? '' : t().alreadyEmergency}</b></p>`)}
        ${open.length ? html`<ul class="task-list">${open.map((k) => {
          const a = activationOf(k.activationId);
          return html`<li data-testid="task" data-id="${k.id}">
            ${a?.exercise ? html`<span class="drill-badge">${t().drill}</span> ` : ''}<span class="task-kind">${t().taskKinds[k.kind] ?? ''}</span>
            <b>${currentLang() === 'en' && k.titleEn ? k.titleEn : k.title}</b><br />
            ${t().taskMeta(k.expectedMinutes, k.who)}
            <button class="big-button" data-action="task-done" data-id="${k.id}" aria-label="${t().doneLabel(currentLang() === 'en' && k.titleEn ? k.titleEn : k.title)}">${t().done}</button>
          </li>`;
        })}</ul>` : html`<p>${t().noOpenTasks}</p>`}
      </article>`;
    })}`);
  };
  const refreshTasks = async () => {
    try {
      const [active, ...perSite] = await Promise.all([
        api<ActivationView[]>('GET', '/api/activations?active=true'),
        ...sites.map((s) => api<ConversionTaskView[]>('GET', `/api/conversion-tasks?facilityId=${encodeURIComponent(s.id)}&status=open`)),
      ]);
      activations = remember(ACTIVATIONS_KEY, active)!;
      tasks = remember(TASKS_KEY, perSite.flat())!;
    } catch {
      /* offline: keep what we have */
    }
    showTasks();
  };
  const showForm = () => {
    render(form, html`
      <label>${t().site}<select name="site">${sites.map((s) => html`<option value="${s.id}">${siteLabel(s)}</option>`)}</select></label>
      <label>${t().status}<select name="status">${SITE_STATUSES.map((s) => html`<option value="${s}">${t().statuses[s]}</option>`)}</select></label>
      <label>${t().occupancy}<input name="occupancy" type="number" min="0" inputmode="numeric" /></label>
      <label>${t().capacity}<input name="capacity" type="number" min="0" inputmode="numeric" /></label>
      <label>${t().needItem}<select name="item"><option value="">${t().needNone}</option>
        ${items.map((i) => html`<option value="${i.code}">${currentLang() === 'en' && i.nameEn ? i.nameEn : i.name} (${i.unit})</option>`)}</select></label>
      <label>${t().needQuantity}<input name="quantity" type="number" min="1" inputmode="numeric" /></label>
      <label>${t().note}<input name="note" maxlength="1000" /></label>
      <button class="big-button" type="submit">${t().send}</button>`);
  };
  const refresh = async () => {
    try {
      const [mine, open] = await Promise.all([api<ManagedSiteView[]>('GET', '/api/me/sites'), api<RollCallView[]>('GET', '/api/roll-calls?open=true')]);
      sites = remember(SITES_KEY, mine)!;
      calls = remember(CALLS_KEY, open)!;
    } catch {
      /* offline: keep what we have */
    }
    showCalls();
    showSites();
    await refreshTasks();
  };

  tasksEl.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('[data-action=task-done]');
    if (!button) return;
    button.disabled = true;
    taskResult.textContent = '';
    api<ConversionTaskView>('POST', `/api/conversion-tasks/${button.dataset.id}/done`, {})
      .then(() => {
        tasks = remember(TASKS_KEY, tasks.filter((k) => k.id !== button.dataset.id))!;
        showTasks();
        taskResult.textContent = t().taskDone;
        return refreshTasks();
      })
      .catch((err: unknown) => {
        button.disabled = false;
        taskResult.textContent = t().taskFailed(failure(err));
        void refreshTasks();
      });
  });
  callsEl.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('[data-action=answer]');
    if (!button) return;
    button.disabled = true;
    api<RollCallView>('POST', `/api/roll-calls/${button.dataset.id}/answer`, {})
      .then((answered) => {
        calls = remember(CALLS_KEY, calls.map((c) => (c.id === answered.id ? answered : c)))!;
        showCalls();
      })
      .catch((err: unknown) => {
        button.disabled = false;
        result.textContent = t().answerFailed(failure(err));
      });
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const num = (name: string) => (data.get(name) ? Number(data.get(name)) : undefined);
    const item = String(data.get('item') ?? '');
    const body = {
      status: String(data.get('status')),
      occupancy: num('occupancy'),
      capacity: num('capacity'),
      needs: item && num('quantity') ? [{ itemCode: item, quantity: num('quantity') }] : undefined,
      note: data.get('note') ? String(data.get('note')) : undefined,
    };
    api('POST', `/api/facilities/${String(data.get('site'))}/reports`, body)
      .then(() => {
        result.textContent = t().sent;
        form.reset();
        return refresh();
      })
      .catch((err: unknown) => (result.textContent = t().failed(failure(err))));
  });

  const realtime = new Realtime(session.token!, user.username);
  const connection = root.querySelector<HTMLElement>('[data-testid=connection]')!;
  realtime.onState((state) => {
    connection.dataset.state = state;
    connection.textContent = t().connection[state] ?? '';
    if (state === 'connected') void refresh();
  });
  realtime.onEvent((e) => {
    if (e.type === 'roll_call.started' || e.type === 'facility.mode_changed' || e.type === 'site.reported') void refresh();
    else if (TASK_EVENTS.has(e.type)) void refreshTasks();
  });
  try {
    items = await api<SupplyItemView[]>('GET', '/api/supply-items');
  } catch {
    items = [];
  }
  showCalls();
  showSites();
  showTasks();
  showForm();
  await refresh();
  showForm();
  window.setInterval(showCalls, 30_000);
}

void bootstrap({
  offline: true,
  title: t().loginTitle,
  allow: (user) => user.role === 'site_manager',
  refused: html`<p class="phone-message">${t().notManager}</p>`,
  onUser: start,
});
