import type { SwitchoverResult } from '../../../src/contracts/supplies.js';

// The switchover dialog and the readiness board meet here, without knowing each other: the dialog
// announces a confirmed switchover, the board shows its shortfalls.
const EVENT = 'pingji:switchover-confirmed';

export function announceSwitchover(result: SwitchoverResult): void {
  window.dispatchEvent(new CustomEvent<SwitchoverResult>(EVENT, { detail: result }));
}

export function onSwitchover(handler: (result: SwitchoverResult) => void): void {
  window.addEventListener(EVENT, (e) => handler((e as CustomEvent<SwitchoverResult>).detail));
}
