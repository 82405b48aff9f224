import '../styles.css';
import './imports.css';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../src/contracts/socket.js';
import { api, ApiError, session } from '../api.js';
import { languageSwitch } from '../i18n.js';
import { bootstrap } from '../login.js';
import { t } from './strings.js';
import { downloadFile, TransferError } from './transfer.js';
import { UploadPanel } from './upload-panel.js';
import { html, render } from '../html.js';
import type { SessionUser } from '../../../src/contracts/auth.js';
import type { ImportRecordView } from '../../../src/contracts/imports.js';

const root = document.getElementById('app')!;
const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

async function start(me: SessionUser): Promise<void> {
  const staff = me.role !== 'squad_leader';
  const today = new Date();
  const weekAgo = new Date(today.getTime() - 6 * 86_400_000);
  render(root, html`
    <header><h1>${t().title}</h1><a href="/">⌂</a></header>
    <main class="imports" data-testid="imports-page" data-socket="connecting">
      ${!staff ? html`<p class="note">${t().staffOnly}</p>` : me.role !== 'commander' ? html`<p class="note" data-testid="read-only">${t().readOnly}</p>` : ''}
      <div class="column" data-slot="upload"></div>
      <div class="column">
        ${me.role === 'commander' ? html`<section class="templates"><h2>${t().templates}</h2>
          <button data-download="/api/imports/templates/facilities.csv" data-name="facilities.csv">${t().templateFacilitiesCsv}</button>
          <button data-download="/api/imports/templates/facilities.geojson" data-name="facilities.geojson">${t().templateFacilitiesGeo}</button>
          <button data-download="/api/imports/templates/squads.csv" data-name="squads.csv">${t().templateSquads}</button></section>` : ''}
        ${staff ? html`<section class="exports" data-testid="exports"><h2>${t().exportTitle}</h2>
          <button data-download="/api/exports/facilities.csv" data-name="facilities.csv">${t().exportFacilities}</button>
          ${me.role === 'commander' ? html`<button data-download="/api/exports/squads.csv" data-name="squads.csv">${t().exportSquads}</button>` : ''}
          <form data-testid="event-export"><h3>${t().eventLog}</h3>
            <label>${t().from} <input type="date" name="from" value="${day(weekAgo)}" required /></label>
            <label>${t().to} <input type="date" name="to" value="${day(today)}" required /></label>
            <button>${t().exportEvents}</button></form>
          <p class="error" data-testid="download-message" role="alert"></p></section>` : ''}
        ${staff ? html`<section class="recent"><h2>${t().recent}</h2><table data-testid="recent-imports"></table></section>` : ''}
      </div>
    </main>`);
  root.querySelector('header')!.append(languageSwitch());
  if (!staff) return;
  const page = root.querySelector<HTMLElement>('[data-testid=imports-page]')!;
  const downloadMessage = root.querySelector<HTMLElement>('[data-testid=download-message]')!;
  const download = async (path: string, name: string) => {
    downloadMessage.textContent = '';
    try {
      await downloadFile(path, name);
    } catch (e) {
      downloadMessage.textContent = e instanceof TransferError || e instanceof Error ? e.message : String(e);
    }
  };
  root.querySelectorAll<HTMLButtonElement>('button[data-download]').forEach((b) =>
    b.addEventListener('click', () => void download(b.dataset.download!, b.dataset.name!)));
  root.querySelector<HTMLFormElement>('[data-testid=event-export]')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    // Whole local days: from the start of `from` to the start of the day after `to`.
    const from = new Date(`${data.get('from')}T00:00:00`);
    const to = new Date(`${data.get('to')}T00:00:00`);
    to.setDate(to.getDate() + 1);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) return void (downloadMessage.textContent = t().badRange);
    const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
    void download(`/api/exports/events.csv?${q}`, `events-${data.get('from')}-${data.get('to')}.csv`);
  });

  const recent = root.querySelector<HTMLTableElement>('[data-testid=recent-imports]')!;
  const loadRecent = async () => {
    try {
      const list = await api<ImportRecordView[]>('GET', '/api/imports');
      render(recent, list.length ? html`<thead><tr><th>${t().when}</th><th>${t().kind}</th><th>${t().fileName}</th><th>${t().rows}</th>
        <th>${t().created}</th><th>${t().updated}</th><th>${t().unchanged}</th><th>${t().areasCreated}</th><th>${t().by}</th></tr></thead>
        <tbody>${list.map((r) => html`<tr data-import-id="${r.id}"><td>${new Date(r.at).toLocaleString()}</td><td>${t().kindName(r.kind)} · ${r.format}</td>
          <td>${r.fileName}</td><td>${r.rows}</td><td>${r.created}</td><td>${r.updated}</td>
          <td>${r.unchanged}</td><td>${(r.areasCreated ?? []).join(', ')}</td><td>${r.by}</td></tr>`)}</tbody>`
        : html`<tbody><tr><td>${t().noImports}</td></tr></tbody>`);
    } catch (e) {
      render(recent, html`<tbody><tr><td class="error">${e instanceof ApiError ? e.message : String(e)}</td></tr></tbody>`);
    }
  };

  // Live: progress of this user's own uploads, and everyone's completed imports for the list.
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'], auth: { token: session.token }, reconnectionDelay: 500 });
  socket.on('connect', () => (page.dataset.socket = 'connected'));
  socket.on('disconnect', () => (page.dataset.socket = 'connecting'));
  socket.on('event', (e) => {
    if (e.type === 'import.completed') void loadRecent();
  });
  const connected = () => (socket.connected ? Promise.resolve() : new Promise<void>((resolve) => {
    // Progress is a nicety: upload anyway if the socket cannot connect soon.
    const timer = setTimeout(resolve, 3000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  }));

  if (me.role === 'commander') {
    const upload = new UploadPanel(connected, () => void loadRecent());
    socket.on('import.progress', (p) => upload.onProgress(p));
    root.querySelector('[data-slot=upload]')!.append(upload.el);
  }
  await loadRecent();
}

void bootstrap({ onUser: start });
