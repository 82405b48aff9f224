import type { QueuedAction } from './action-queue.js';
import { st } from './status-strings.js';
import { html, render } from '../html.js';
import type { SquadStatus } from '../../../src/contracts/squads.js';

/** What the queued status actions will make of the squad, so the screen answers at once even offline. */
export function expectedSquadStatus(squadId: string, status: SquadStatus | undefined, queued: QueuedAction[]): SquadStatus | undefined {
  for (const a of queued) if (a.path === statusPath(squadId)) status = (a.body as { status: SquadStatus }).status;
  return status;
}

export const statusPath = (squadId: string) => `/api/squads/${squadId}/status`;

/**
 * The squad's own status when no dispatch drives it. Returning or unavailable, it fills the screen with
 * the way out: "back, available" and "unavailable" (queued like every phone action). Available, a small
 * "set unavailable" under the idle card.
 */
export function renderSquadState(
  el: HTMLElement,
  squadId: string,
  status: SquadStatus,
  queued: boolean,
  act: (action: Omit<QueuedAction, 'key' | 'method'>) => void,
): void {
  const button = (to: 'available' | 'unavailable', label: string, cls: string) =>
    html`<button class="big ${cls}" data-action="squad-${to}" data-testid="squad-${to}">${label}</button>`;
  if (status === 'returning' || status === 'unavailable') {
    render(el, html`<section class="card squad-state" data-testid="squad-status" data-status="${status}">
      <p class="status">${st().status[status]}${queued ? ' ⏳' : ''}</p>
      <h1>${status === 'returning' ? st().returningTitle : st().unavailableTitle}</h1>
      <p>${status === 'returning' ? st().returningNote : st().unavailableNote}</p>
      <div class="actions">${button('available', st().back, 'accept')}${status === 'returning' ? button('unavailable', st().unavailable, 'decline') : ''}</div>
    </section>`);
  } else {
    render(el, html`<p class="squad-state small" data-testid="squad-status" data-status="${status}">${st().status[status] ?? status}${queued ? ' ⏳' : ''}
      ${status === 'available' ? html`<button data-action="squad-unavailable" data-testid="squad-unavailable">${st().setUnavailable}</button>` : ''}</p>`);
  }
  for (const to of ['available', 'unavailable'] as const) {
    el.querySelector(`[data-action=squad-${to}]`)?.addEventListener('click', () =>
      act({ path: statusPath(squadId), body: { status: to }, label: to === 'available' ? st().back : st().unavailable }));
  }
}
