import './styles.css';
import L from './leaflet.js';
import { api, session } from './api.js';
import { languageSwitch } from './i18n.js';
import { t } from './strings.js';
import { createLayers, createPanes } from './layers/index.js';
import { bootstrap, logout } from './login.js';
import { createMap } from './map.js';
import type { ClientConfig } from '../../src/contracts/client-config.js';
import { ConnectionIndicator } from './panels/connection-indicator.js';
import { FacilityFilterControl } from './panels/facility-filter-control.js';
import { FeedPanel } from './panels/feed-panel.js';
import { IncidentPanel } from './panels/incident-panel.js';
import { IncidentPlacer } from './panels/incident-placing.js';
import { mountOperations } from './panels/operations.js';
import { SitePanel } from './panels/site-panel.js';
import { SwitchoverDialog } from './panels/switchover-dialog.js';
import { type EventView, Realtime } from './realtime.js';
import { esc, html, render } from './html.js';
import type { SessionUser } from '../../src/contracts/auth.js';
import type { LogPosition } from '../../src/contracts/events.js';

const root = document.getElementById('app')!;
let feed: FeedPanel | undefined;

function renderShell(user: SessionUser): HTMLElement {
  render(root, html`
    <header>
      <h1>${t().appTitle}</h1>
      <button data-action="new-incident" hidden>${t().newIncident}</button>
      <button data-action="switchover" hidden>${t().switchover}</button>
      <a class="nav" href="/drills/">${t().navDrills}</a>
      <a class="nav" href="/imports/">${t().navImports}</a>
      <span data-testid="current-user"></span>
      <span data-slot="lang"></span>
      <button data-action="logout">${t().logout}</button>
    </header>
    <main><div id="map" data-testid="map"></div></main>`);
  root.querySelector('[data-testid=current-user]')!.textContent = `${user.username} · ${t().roles[user.role] ?? user.role}`;
  // The map, its layers and panels are built in one language: switching keeps the feed's events (and the
  // live position, by the socket's resume point) across the reload that re-describes them.
  root.querySelector('[data-slot=lang]')!.replaceWith(languageSwitch(() => {
    feed?.keep();
    location.reload();
  }));
  root.querySelector('[data-action=logout]')!.addEventListener('click', logout);
  return root.querySelector<HTMLElement>('#map')!;
}

async function start(user: SessionUser): Promise<void> {
  const config = await api<ClientConfig>('GET', '/api/client-config');
  const map = createMap(renderShell(user), config);

  const isCommander = user.role === 'commander';
  // The dialog's scope starts from the map's filter (read when it opens).
  const dialog = isCommander ? new SwitchoverDialog(() => layers.facilities.currentFilter) : undefined;
  const sitePanel = new SitePanel(isCommander, dialog ? (f) => dialog.open(f) : undefined);
  root.querySelector('main')!.append(sitePanel.el);

  feed = new FeedPanel().addTo(map);
  const kept = FeedPanel.takeKept();
  const connection = new ConnectionIndicator().addTo(map);
  const incidentPanel = new IncidentPanel();
  root.querySelector('main')!.append(incidentPanel.el);
  const newIncident = root.querySelector<HTMLButtonElement>('[data-action=new-incident]')!;
  const placer = new IncidentPlacer(map, (at) => incidentPanel.create(at.lat, at.lng), () => newIncident.setAttribute('aria-pressed', 'false'));
  // While an incident is being placed, a click on a marker places it there instead of opening the marker.
  const layers = createLayers({
    onFacility: (f) => (placer.active ? undefined : void sitePanel.show(f)),
    onIncident: (id) => (isCommander && !placer.active ? void incidentPanel.show(id) : undefined),
  });
  createPanes(map);
  placer.watch(layers.all.map((l) => l.layer));
  const switcher = L.control.layers(undefined, {}, { position: 'topleft' }).addTo(map);
  for (const l of layers.all) {
    if (!l.hiddenByDefault) l.layer.addTo(map);
    switcher.addOverlay(l.layer, esc(l.label())); // Leaflet shows the name as HTML
  }
  // The log's position first, then the recent events (a reload or a language switch keeps the feed) and
  // the snapshots: every change after that position reaches the layers by replay, none falls in between.
  const position = await api<LogPosition>('GET', '/api/events/position').catch(() => undefined);
  const recent = await FeedPanel.fetchRecent().catch((): EventView[] => []);
  await Promise.all(layers.all.map((l) => l.load(user)));
  for (const e of [...kept, ...recent]) feed.add(e);
  new FacilityFilterControl(layers.facilities).addTo(map);
  // Viewers and coordinators get no switch controls; the server refuses them anyway.
  if (dialog) {
    const button = root.querySelector<HTMLButtonElement>('[data-action=switchover]')!;
    button.hidden = false;
    button.addEventListener('click', () => dialog.open());
    newIncident.hidden = false;
    newIncident.addEventListener('click', () => {
      newIncident.setAttribute('aria-pressed', 'true');
      placer.start();
    });
  }

  // The operations panels: indicator strip, alerts, incidents, roster, readiness, dispatch board.
  const ops = mountOperations({
    map, root, user,
    openIncident: isCommander ? (id) => void incidentPanel.show(id) : undefined,
    openSite: (f) => void sitePanel.show(f),
  });

  const realtime = new Realtime(session.token!, user.username, position);
  realtime.onState((s) => connection.show(s));
  realtime.onEvent((e) => {
    feed?.add(e);
    for (const l of layers.all) l.onEvent?.(e);
    ops.onEvent(e);
    if (e.facilityId) sitePanel.refresh(e.facilityId);
  });
}

void bootstrap({ title: () => t().appTitle, onUser: start });
