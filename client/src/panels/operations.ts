import './operations.css';
import type L from '../leaflet.js';
import { facilityStore } from '../facilities.js';
import type { EventView } from '../realtime.js';
import { AlertSound } from './alert-sound.js';
import { AlertsPanel } from './alerts-panel.js';
import { DispatchBoard } from './dispatch-board.js';
import { IncidentList } from './incident-list.js';
import { type Indicator, IndicatorStrip } from './indicator-strip.js';
import { OpsDrawer, type OpsTab } from './ops-drawer.js';
import { OpsStore } from './ops-store.js';
import { PlanActivation } from './plan-activation.js';
import { ReadinessBoard } from './readiness-board.js';
import { RollCallPanel } from './roll-call-panel.js';
import { SquadRoster } from './squad-roster.js';
import { onSwitchover } from './switchover-events.js';
import type { SessionUser } from '../../../src/contracts/auth.js';
import type { FacilityView } from '../../../src/contracts/facilities.js';

export interface OperationsWiring {
  map: L.Map;
  root: HTMLElement;
  user: SessionUser;
  /** The incident panel (recommendations, dispatch): commanders only. */
  openIncident?: (incidentId: string) => void;
  openSite: (f: FacilityView) => void;
}

/**
 * The command center's operations panels: the indicator strip under the header, the drawer with alerts,
 * incidents, squad roster and readiness, and the dispatch board on the map. One store feeds them all;
 * `onEvent` hands it every live event.
 */
export function mountOperations(w: OperationsWiring): { onEvent: (e: EventView) => void; store: OpsStore } {
  const isCommander = w.user.role === 'commander';
  const store = new OpsStore();
  const sound = new AlertSound();
  store.onNewAlert((a) => {
    if (a.severity === 'critical') sound.beep();
  });

  new DispatchBoard(store).addTo(w.map);
  const openSite = (id: string) => {
    const f = facilityStore.facilities.get(id);
    if (f) w.openSite(f);
  };
  const alerts = new AlertsPanel(store, {
    isCommander,
    openIncident: w.openIncident,
    openSite,
    openReadiness: () => drawer.open('readiness'),
    openPlans: () => drawer.open('plans'),
    openRollCall: (id) => {
      rollCalls.show(id);
      drawer.open('rollCalls');
    },
  });
  const incidents = new IncidentList(store, { isCommander, openIncident: w.openIncident });
  const roster = new SquadRoster(store, isCommander);
  const readiness = new ReadinessBoard(store);
  const plans = new PlanActivation(w.user.role);
  const rollCalls = new RollCallPanel();
  const sections = { alerts: alerts.el, incidents: incidents.el, roster: roster.el, readiness: readiness.el, plans: plans.el, rollCalls: rollCalls.el };
  const drawer = new OpsDrawer(sections, (open: boolean, tab: OpsTab) => {
    document.body.classList.toggle('ops-open', open);
    readiness.setVisible(open && tab === 'readiness');
    rollCalls.setVisible(open && tab === 'rollCalls');
    w.map.invalidateSize();
  });
  w.root.querySelector('main')!.append(drawer.el);

  const strip = new IndicatorStrip(store, sound, (which: Indicator) => {
    if (which === 'emergency') readiness.setFilter({ mode: 'emergency' });
    if (which === 'short') readiness.setFilter({ onlyShort: true });
    if (which === 'available') roster.setStatusFilter('available');
    if (which === 'committed') roster.setStatusFilter('committed');
    const tab: Record<Indicator, OpsTab> = { emergency: 'readiness', short: 'readiness', available: 'roster', committed: 'roster', incidents: 'incidents', alerts: 'alerts' };
    drawer.open(tab[which]);
  });
  w.root.querySelector('header')!.after(strip.el);
  store.subscribe(() => {
    drawer.setBadge('alerts', store.alerts.size ? String(store.alerts.size) : '');
    const open = [...store.incidents.values()].filter((i) => i.status === 'open' && !i.exercise).length;
    drawer.setBadge('incidents', open ? String(open) : '');
  });

  // After a confirmed switchover, what the switched sites lack is the next thing to see.
  onSwitchover((result) => {
    store.switchover(result);
    drawer.open('readiness');
  });
  // Loaded once; a failed load (the server restarting, the network gone) is tried again until it works.
  const load = (): void => void store.load().catch(() => window.setTimeout(load, 5000));
  load();
  const loadPlans = (): void => void plans.load().catch(() => window.setTimeout(loadPlans, 5000));
  loadPlans();
  return {
    onEvent: (e) => {
      store.apply(e);
      plans.onEvent(e);
      rollCalls.onEvent(e);
    },
    store,
  };
}
