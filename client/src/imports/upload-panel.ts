import { t } from './strings.js';
import { api, ApiError } from '../api.js';
import { currentLang } from '../i18n.js';
import { html, render } from '../html.js';
import type { AreaView } from '../../../src/contracts/facilities.js';
import type { SwitchoverResult } from '../../../src/contracts/supplies.js';
import { formatOfName, MAX_UPLOAD_BYTES, readText, TransferError, uploadFile } from './transfer.js';
import type { ImportKind, ImportProgress, ImportResult } from '../../../src/contracts/imports.js';

/**
 * The commander's upload form: choose sites or squads and a file, check it (dry run) or import it.
 * Progress comes over the socket for this upload's importId; the HTTP response brings the result or
 * every bad line.
 */
export class UploadPanel {
  readonly el = document.createElement('section');
  private importId: string | null = null;
  private busy = false;

  constructor(private readonly beforeUpload: () => Promise<void>, private readonly afterImport: () => void) {
    this.el.className = 'upload';
    render(this.el, html`
      <h2>${t().importTitle}</h2>
      <form data-testid="import-form">
        <fieldset><legend>${t().what}</legend>
          <label><input type="radio" name="kind" value="facilities" checked /> ${t().kindFacilities}</label>
          <label><input type="radio" name="kind" value="squads" /> ${t().kindSquads}</label>
        </fieldset>
        <label>${t().file} <input type="file" name="file" accept=".csv,.geojson,.json" /></label>
        <p class="hint">${t().fileHint}</p>
        <div class="buttons">
          <button type="button" data-action="dry-run">${t().dryRun}</button>
          <button type="submit" data-action="import">${t().doImport}</button>
        </div>
      </form>
      <div class="progress-row">
        <progress data-testid="import-progress" value="0" max="1" aria-label="${t().progress}"></progress>
        <span data-testid="import-progress-text"></span>
      </div>
      <p class="error" data-testid="import-message" role="alert"></p>
      <div data-testid="import-result" hidden></div>
      <table data-testid="import-errors" hidden></table>`);
    const form = this.el.querySelector('form')!;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.run(false);
    });
    this.el.querySelector('[data-action=dry-run]')!.addEventListener('click', () => void this.run(true));
  }

  /** An `import.progress` message; only the current upload's are shown. */
  onProgress(p: ImportProgress): void {
    if (p.importId !== this.importId) return;
    this.showProgress(p.phase, p.done, p.total);
  }

  private $<T extends HTMLElement>(testid: string): T {
    return this.el.querySelector<T>(`[data-testid=${testid}]`)!;
  }

  private showProgress(phase: string, done: number, total: number): void {
    const bar = this.$<HTMLProgressElement>('import-progress');
    bar.dataset.phase = phase;
    if (total > 0) {
      bar.max = total;
      bar.value = Math.min(done, total);
    } else if (phase === 'checking' || phase === 'uploading') {
      bar.removeAttribute('value'); // indeterminate until the number of lines is known
    }
    this.$('import-progress-text').textContent = total > 0 && phase !== 'failed' ? `${t().phase(phase)} ${done} / ${total}` : t().phase(phase);
  }

  private async run(dryRun: boolean): Promise<void> {
    if (this.busy) return;
    const form = this.el.querySelector('form')!;
    const kind = new FormData(form).get('kind') as ImportKind;
    const file = form.querySelector<HTMLInputElement>('input[type=file]')!.files?.[0];
    this.clear();
    const format = file && formatOfName(file.name);
    const problem = !file ? t().chooseFile : !format ? t().badExtension : kind === 'squads' && format !== 'csv' ? t().squadsCsvOnly
      : file.size > MAX_UPLOAD_BYTES ? t().tooLarge : null;
    if (problem || !file || !format) return void (this.$('import-message').textContent = problem);

    this.busy = true;
    form.querySelectorAll('button').forEach((b) => (b.disabled = true));
    const importId = crypto.randomUUID();
    this.importId = importId;
    this.showProgress('uploading', 0, 0);
    try {
      const text = await readText(file);
      await this.beforeUpload(); // the socket is connected, so no progress message is missed
      const result = await uploadFile(kind, { text, format, fileName: file.name, importId, dryRun });
      this.showProgress('done', result.rows, result.rows);
      this.showResult(result);
      if (!dryRun) this.afterImport();
    } catch (e) {
      this.showProgress('failed', 0, 0);
      this.showError(e);
    } finally {
      this.busy = false;
      form.querySelectorAll('button').forEach((b) => (b.disabled = false));
    }
  }

  private clear(): void {
    this.$('import-message').textContent = '';
    this.$('import-result').hidden = true;
    this.$('import-result').replaceChildren();
    this.$('import-errors').hidden = true;
    this.$('import-errors').replaceChildren();
    const bar = this.$<HTMLProgressElement>('import-progress');
    bar.value = 0;
    bar.max = 1;
    delete bar.dataset.phase;
    this.$('import-progress-text').textContent = '';
  }

  private showResult(r: ImportResult): void {
    const el = this.$('import-result');
    el.dataset.dryRun = String(r.dryRun);
    const item = (name: string, label: string, value: string | number) => html`<dt>${label}</dt><dd data-field="${name}">${value}</dd>`;
    render(el, html`<h3>${t().resultTitle(r.dryRun)}</h3><dl>
      ${item('rows', t().rows, r.rows)}${item('created', t().created, r.created)}${item('updated', t().updated, r.updated)}
      ${item('unchanged', t().unchanged, r.unchanged)}${item('areasCreated', t().areasCreated, r.areasCreated.length ? r.areasCreated.join(', ') : t().none)}
    </dl><div class="in-emergency" data-testid="import-in-emergency" role="alert" hidden></div>`);
    el.hidden = false;
    if (r.inEmergencyAreas?.length) void this.offerSwitch(r);
  }

  /** Sites that arrived in normal mode in an area in emergency: said so, with a one-click switch (not after a dry run). */
  private async offerSwitch(r: ImportResult): Promise<void> {
    const box = this.$('import-in-emergency');
    const groups = r.inEmergencyAreas!;
    const ids = groups.flatMap((g) => g.facilityIds);
    const areas = await api<AreaView[]>('GET', '/api/areas').catch(() => [] as AreaView[]);
    const name = (code: string) => {
      const a = areas.find((x) => x.code === code);
      return a ? (currentLang() === 'en' ? (a.nameEn ?? a.name) : a.name) : t().unknownArea;
    };
    const areaNames = groups.map((g) => name(g.areaCode)).join(t().listSep);
    render(box, html`<p><b>${t().inEmergency(ids.length, areaNames)}</b></p>
      <ul>${groups.map((g) => html`<li>${name(g.areaCode)}: ${g.codes.join(t().listSep)}</li>`)}</ul>
      ${r.dryRun ? html`<p class="hint">${t().inEmergencyDryRun}</p>`
        : html`<button data-action="switch-imported" data-testid="switch-imported">${t().switchThem(ids.length)}</button><p data-testid="switch-imported-result" role="status"></p>`}`);
    box.hidden = false;
    box.querySelector('[data-action=switch-imported]')?.addEventListener('click', async (e) => {
      const button = e.target as HTMLButtonElement;
      const out = box.querySelector('[data-testid=switch-imported-result]')!;
      button.disabled = true;
      try {
        const res = await api<SwitchoverResult>('POST', '/api/switchovers', { mode: 'emergency', reason: t().switchReason(areaNames), scope: { facilityIds: ids } });
        out.textContent = t().switched(res.switched.length);
        box.dataset.switched = 'true';
      } catch (err) {
        button.disabled = false;
        out.textContent = `${t().switchFailed} ${err instanceof ApiError ? err.message : String(err)}`;
      }
    });
  }

  private showError(e: unknown): void {
    const message = this.$('import-message');
    if (!(e instanceof TransferError)) {
      message.textContent = `${t().failed} ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    if (e.rows.length) {
      render(message, html`${t().nothingImported(new Set(e.rows.map((r) => r.line)).size)}<br /><small>${e.message}</small>`);
      const table = this.$('import-errors');
      render(table, html`<thead><tr><th>${t().line}</th><th>${t().field}</th><th>${t().problem}</th></tr></thead><tbody>${e.rows
        .map((r) => html`<tr data-line="${r.line}"><td>${r.line}</td><td>${r.field}</td><td>${r.message}</td></tr>`)}</tbody>`);
      table.hidden = false;
      return;
    }
    message.textContent = `${t().failed} ${e.message}`;
  }
}
