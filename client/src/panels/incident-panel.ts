import { api, ApiError } from '../api.js';
import { t } from '../strings.js';
import { html, render } from '../html.js';
import type { IncidentView, Recommendation } from '../../../src/contracts/dispatch.js';

const options = (dict: Record<string, string>, chosen?: string) =>
  Object.entries(dict).map(([k, v]) => html`<option value="${k}" ${k === chosen ? html`selected` : ''}>${v}</option>`);
/** Not the worst by default: a commander raises it on purpose. */
const DEFAULT_SEVERITY = 'moderate';

/** The commander's incident work: create one where the map was clicked, see who is nearest, dispatch. */
export class IncidentPanel {
  readonly el = document.createElement('aside');

  constructor() {
    this.el.className = 'panel incident-panel';
    this.el.dataset.testid = 'incident-panel';
    this.el.hidden = true;
  }

  create(lat: number, lng: number): void {
    render(this.el, html`
      <button class="close" data-action="close" aria-label="${t().close}">×</button>
      <h2>${t().newIncident}</h2>
      <form>
        <label>${t().incidentTitle}<input name="title" required minlength="2" /></label>
        <label>${t().kind}<select name="kind">${options(t().incidentKinds)}</select></label>
        <label>${t().severityLabel}<select name="severity">${options(t().severities, DEFAULT_SEVERITY)}</select></label>
        <fieldset class="skills" data-testid="incident-skills"><legend>${t().requiredSkills}</legend>
          ${Object.entries(t().skills).map(([k, v]) => html`<label class="check"><input type="checkbox" name="skills" value="${k}" /> ${v}</label>`)}
        </fieldset>
        <p class="muted">${lat.toFixed(5)}, ${lng.toFixed(5)}</p>
        <p class="error" role="alert"></p>
        <button type="submit">${t().create}</button>
      </form>`);
    this.open();
    const form = this.el.querySelector('form')!;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      try {
        const incident = await api<IncidentView>('POST', '/api/incidents', {
          title: String(data.get('title')).trim(), kind: data.get('kind'), severity: data.get('severity'),
          requiredSkills: data.getAll('skills'), lat, lng,
        });
        await this.show(incident.id);
      } catch (err) {
        form.querySelector('.error')!.textContent = err instanceof ApiError ? err.message : String(err);
      }
    });
  }

  async show(incidentId: string): Promise<void> {
    const [incident, recs] = await Promise.all([
      api<IncidentView>('GET', `/api/incidents/${incidentId}`),
      api<Recommendation[]>('GET', `/api/incidents/${incidentId}/recommendations?limit=8`),
    ]);
    render(this.el, html`
      <button class="close" data-action="close" aria-label="${t().close}">×</button>
      <h2>${incident.title}</h2>
      <p class="muted">${t().incidentKinds[incident.kind]} · ${t().severities[incident.severity]} · ${incident.requiredSkills.map((k) => t().skills[k]).join('、')}</p>
      <h3>${t().recommendations}</h3>
      <ol class="recommendations">${recs.map((r) => html`
        <li data-testid="recommendation" data-squad-code="${r.code}"><b>${r.code}</b> ${r.name}<br>
          <span class="muted">${t().km(r.distanceM)} · ${t().minutes(r.etaMinutes)} · ${r.skillsMatched.map((k) => t().skills[k]).join('、')}</span>
          <button data-action="dispatch" data-squad-id="${r.squadId}">${t().dispatchAction}</button></li>`)}</ol>
      <p class="error" role="alert"></p>`);
    this.open();
    this.el.querySelectorAll<HTMLButtonElement>('[data-action=dispatch]').forEach((b) =>
      b.addEventListener('click', async () => {
        try {
          await api('POST', `/api/incidents/${incidentId}/dispatches`, { squadIds: [b.dataset.squadId] });
          await this.show(incidentId);
        } catch (err) {
          this.el.querySelector('.error')!.textContent = err instanceof ApiError ? err.message : String(err);
        }
      }),
    );
  }

  private open(): void {
    this.el.hidden = false;
    this.el.querySelector('[data-action=close]')!.addEventListener('click', () => (this.el.hidden = true));
  }
}
