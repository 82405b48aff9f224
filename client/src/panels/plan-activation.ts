import { api, ApiError } from '../api.js';
import { html, render } from '../html.js';
import { currentLang, dictionary } from '../i18n.js';
import type { EventView } from '../realtime.js';
import type { ActivationDryRun, ActivationView, PlanLevel, PlanView } from '../../../src/contracts/plans.js';

const zh = {
  title: '应急预案',
  plan: '预案',
  level: '响应级别',
  levels: { 4: 'Ⅳ级（蓝色）', 3: 'Ⅲ级（黄色）', 2: 'Ⅱ级（橙色）', 1: 'Ⅰ级（红色）' } as Record<number, string>,
  reason: '原因',
  exercise: '演练（不改变真实状态）',
  dryRun: '预演：查看影响',
  confirm: '确认启动',
  dryRunResult: (toSwitch: number, already: number, short: number, squads: number, tasks: number) =>
    `将转换 ${toSwitch} 个阵地（${already} 个已处于应急状态），${short} 项储备缺口，${squads} 支先锋队待命，${tasks} 项转换任务。`,
  active: '进行中的响应',
  none: '当前没有启动的预案',
  progress: (converting: number, ready: number, overdue: number) => `◐ 转换中 ${converting} · ✓ 就绪 ${ready} · ⚠ 超时 ${overdue}`,
  exerciseMark: '【演练】',
  changeLevel: '调整级别',
  newLevel: '新级别',
  standDown: '急转平（解除）',
  reasonNeeded: '请填写原因（至少 2 个字）',
  activated: '已启动',
};
const en: typeof zh = {
  title: 'Response plans',
  plan: 'Plan',
  level: 'Level',
  levels: { 4: 'Level IV (blue)', 3: 'Level III (yellow)', 2: 'Level II (orange)', 1: 'Level I (red)' },
  reason: 'Reason',
  exercise: 'Exercise (changes nothing real)',
  dryRun: 'Dry run: see what would happen',
  confirm: 'Confirm activation',
  dryRunResult: (toSwitch, already, short, squads, tasks) =>
    `${toSwitch} sites to switch (${already} already in emergency), ${short} reserve shortfalls, ${squads} squads on standby, ${tasks} conversion tasks.`,
  active: 'Active responses',
  none: 'No plan is active',
  progress: (converting, ready, overdue) => `◐ converting ${converting} · ✓ ready ${ready} · ⚠ overdue ${overdue}`,
  exerciseMark: '[DRILL] ',
  changeLevel: 'Change level',
  newLevel: 'New level',
  standDown: 'Stand down',
  reasonNeeded: 'Give a reason (at least 2 characters)',
  activated: 'Activated',
};
const pt = dictionary(zh, en);
const LEVELS: PlanLevel[] = [4, 3, 2, 1];

/**
 * The dashboard's response-plan control: choose a plan and level, read the dry run, confirm; then each
 * active activation's progress (sites converting, ready, overdue), its level change and stand-down.
 * Commanders activate for real; coordinators only as an exercise; everyone else reads.
 */
export class PlanActivation {
  readonly el = document.createElement('section');
  private plans: PlanView[] = [];
  private activations: ActivationView[] = [];
  private dry: ActivationDryRun | null = null;
  private message = '';

  constructor(private readonly role: string) {
    this.el.className = 'ops-section plan-activation';
    this.el.dataset.testid = 'plan-activation';
    this.el.addEventListener('click', (e) => void this.onClick(e));
    this.el.addEventListener('change', (e) => {
      if ((e.target as HTMLElement).closest('[data-form=activate]')) this.dry = null;
    });
  }

  async load(): Promise<void> {
    [this.plans, this.activations] = await Promise.all([api<PlanView[]>('GET', '/api/plans'), api<ActivationView[]>('GET', '/api/activations?active=true')]);
    this.render();
  }

  /** Live events: an activation's progress changes with these. */
  onEvent(e: EventView): void {
    if (e.type.startsWith('plan.') || e.type.startsWith('conversion.') || e.type === 'facility.ready') {
      void api<ActivationView[]>('GET', '/api/activations?active=true').then((list) => {
        this.activations = list;
        this.render();
      }).catch(() => undefined);
    }
  }

  private get canActivate(): boolean {
    return this.role === 'commander' || this.role === 'coordinator';
  }

  private value(name: string, root: ParentNode = this.el): string {
    return (root.querySelector<HTMLInputElement | HTMLSelectElement>(`[name=${name}]`)?.value ?? '').trim();
  }

  private async onClick(e: Event): Promise<void> {
    const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    if (!b) return;
    const form = this.el.querySelector<HTMLElement>('[data-form=activate]');
    try {
      if (b.dataset.action === 'dry-run' || b.dataset.action === 'confirm') {
        const reason = this.value('plan-reason');
        if (reason.length < 2) return this.say(pt().reasonNeeded);
        const exercise = this.role !== 'commander' || (form?.querySelector<HTMLInputElement>('[name=plan-exercise]')?.checked ?? false);
        const body = { level: Number(this.value('plan-level')), reason, exercise, dryRun: b.dataset.action === 'dry-run' };
        const result = await api<ActivationDryRun | ActivationView>('POST', `/api/plans/${encodeURIComponent(this.value('plan-code'))}/activations`, body);
        if ('dryRun' in result) {
          this.dry = result;
          this.message = '';
        } else {
          this.dry = null;
          this.message = `${pt().activated}: ${this.planName(result)} ${pt().levels[result.level]}`;
          this.activations = await api<ActivationView[]>('GET', '/api/activations?active=true');
        }
        return this.render();
      }
      const row = b.closest<HTMLElement>('[data-activation]');
      if (!row) return;
      const reason = this.value('activation-reason', row);
      if (reason.length < 2) return this.say(pt().reasonNeeded);
      const id = row.dataset.activation!;
      if (b.dataset.action === 'change-level') await api('POST', `/api/activations/${id}/level`, { level: Number(this.value('activation-level', row)), reason });
      if (b.dataset.action === 'stand-down') await api('POST', `/api/activations/${id}/stand-down`, { reason });
      this.message = '';
      this.activations = await api<ActivationView[]>('GET', '/api/activations?active=true');
      this.render();
    } catch (err) {
      this.say(err instanceof ApiError ? err.message : String(err));
    }
  }

  private say(text: string): void {
    this.message = text;
    this.render();
  }

  private planName(p: { name?: string; nameEn?: string; planName?: string; planNameEn?: string }): string {
    return currentLang() === 'en' ? (p.nameEn ?? p.planNameEn ?? '') : (p.name ?? p.planName ?? '');
  }

  render(): void {
    // Keep what the user typed across renders.
    const kept = { code: this.value('plan-code'), level: this.value('plan-level'), reason: this.value('plan-reason') };
    const levelOptions = (selected: string) => LEVELS.map((l) => html`<option value="${l}" ${String(l) === selected ? 'selected' : ''}>${pt().levels[l]}</option>`);
    const d = this.dry;
    render(this.el, html`
      <div class="ops-toolbar"><h2>${pt().title}</h2></div>
      ${this.canActivate ? html`
        <div data-form="activate" class="plan-form">
          <label>${pt().plan} <select name="plan-code" data-testid="plan-code">
            ${this.plans.map((p) => html`<option value="${p.code}" ${p.code === kept.code ? 'selected' : ''}>${this.planName(p)}</option>`)}
          </select></label>
          <label>${pt().level} <select name="plan-level" data-testid="plan-level">${levelOptions(kept.level || '4')}</select></label>
          <label>${pt().reason} <input name="plan-reason" data-testid="plan-reason" value="${kept.reason}" maxlength="500"></label>
          ${this.role === 'commander' ? html`<label><input type="checkbox" name="plan-exercise"> ${pt().exercise}</label>` : html`<p class="muted">${pt().exercise}</p>`}
          <button type="button" data-action="dry-run" data-testid="plan-dry-run">${pt().dryRun}</button>
          ${d ? html`<p data-testid="plan-dry-result">${d.exercise ? pt().exerciseMark : ''}${pt().dryRunResult(d.sitesToSwitch.length, d.alreadyInEmergency.length, d.shortfalls.length, d.standbySquads.length, d.tasks)}</p>
            <button type="button" data-action="confirm" data-testid="plan-confirm">${pt().confirm}</button>` : ''}
        </div>` : ''}
      <p role="status" data-testid="plan-message">${this.message}</p>
      <h3>${pt().active}</h3>
      ${this.activations.length ? html`<ul class="plan-activations">${this.activations.map((a) => {
        const live = a.sites.filter((s) => !s.releasedAt && s.switched);
        const count = (c: string) => live.filter((s) => s.conversion === c).length;
        const mayChange = this.role === 'commander' || (this.role === 'coordinator' && a.exercise);
        return html`<li data-activation="${a.id}" data-testid="activation-${a.planCode}">
          <strong>${a.exercise ? pt().exerciseMark : ''}${this.planName(a)} · ${pt().levels[a.level]}</strong>
          <div data-testid="activation-progress">${pt().progress(count('converting'), count('ready'), count('overdue'))}</div>
          ${mayChange ? html`
            <label>${pt().newLevel} <select name="activation-level">${levelOptions(String(a.level))}</select></label>
            <label>${pt().reason} <input name="activation-reason" maxlength="500"></label>
            <button type="button" data-action="change-level">${pt().changeLevel}</button>
            <button type="button" data-action="stand-down">${pt().standDown}</button>` : ''}
        </li>`;
      })}</ul>` : html`<p class="muted">${pt().none}</p>`}`);
  }
}
