import { DataSource } from 'typeorm';
import type { EventView } from '../../src/events/event-types.js';
import { EventsService, type NewEvent } from '../../src/events/events.service.js';
import type { TestApp } from './test-app.js';

/** Appends events through the real event log, each batch in its own committed transaction. */
export async function appendEvents(t: TestApp, events: NewEvent[]): Promise<EventView[]> {
  const ds = t.app.get(DataSource);
  const service = t.app.get(EventsService);
  return ds.transaction((m) => service.append(m, events));
}

export const ids = (events: { id: string }[]) => events.map((e) => e.id);

/** Strictly increasing ids: in order and without duplicates. */
export const strictlyIncreasing = (list: string[]) => list.every((id, i) => i === 0 || BigInt(id) > BigInt(list[i - 1]));
