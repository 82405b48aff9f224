import { DataSource } from 'typeorm';
import { EventsService, type NewEvent } from '../../src/events/events.service.js';
import type { TestApp } from './test-app.js';
import type { LoggedEvent } from '../../src/events/event-row.js';

/** An event of any type and payload: tests of the log's mechanics need markers the catalogue does not have. */
export type SyntheticEvent = Omit<NewEvent, 'type' | 'payload'> & { type: string; payload?: Record<string, unknown> };
export const synthetic = (events: SyntheticEvent[]) => events.map((e) => ({ payload: {}, ...e })) as unknown as NewEvent[];

/** Appends events through the real event log, each batch in its own committed transaction. */
export async function appendEvents(t: TestApp, events: SyntheticEvent[]): Promise<LoggedEvent[]> {
  const ds = t.app.get(DataSource);
  const service = t.app.get(EventsService);
  return ds.transaction((m) => service.append(m, synthetic(events)));
}

export const ids = (events: { id: string }[]) => events.map((e) => e.id);

/** Strictly increasing ids: in order and without duplicates. */
export const strictlyIncreasing = (list: string[]) => list.every((id, i) => i === 0 || BigInt(id) > BigInt(list[i - 1]));

/** A command-center notice posted through the API, as a user makes one: its event id. */
export async function postNotice(t: Pick<TestApp, 'http'>, token: string, title: string): Promise<string> {
  const res = await t.http().post('/api/notices').set('authorization', `Bearer ${token}`).send({ title });
  if (res.status !== 201) throw new Error(`notice not posted: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
