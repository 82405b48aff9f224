import { compareIds, type EventRow, eventView, toEventView } from './event-row.js';

const row: EventRow = {
  id: '42',
  type: 'facility.mode_changed',
  at: new Date('2026-11-28T01:02:03.456Z'),
  actor_id: 'a1',
  actor_name: 'commander',
  exercise: false,
  severity: 'info',
  audience: 'everyone',
  facility_id: 'f1',
  squad_id: null,
  dispatch_id: null,
  incident_id: null,
  drill_id: null,
  payload: { code: 'F-1' },
};

describe('event views', () => {
  it('orders ids as numbers, not as text', () => {
    const ids = ['100', '9', '1000', '99', '10', '101', '9007199254740993', '9007199254740992'];
    expect([...ids].sort(compareIds)).toEqual(['9', '10', '99', '100', '101', '1000', '9007199254740992', '9007199254740993']);
    expect(compareIds('7', '7')).toBe(0);
  });

  it('builds an appended event the same as one read back from the log', () => {
    const { id, at, ...columns } = row;
    const appended = eventView(columns, id, new Date(at).toISOString());
    expect(appended).toEqual(toEventView(row));
    expect(appended).toEqual({
      id: '42',
      type: 'facility.mode_changed',
      at: '2026-11-28T01:02:03.456Z',
      exercise: false,
      severity: 'info',
      audience: 'everyone',
      payload: { code: 'F-1' },
      actor: { id: 'a1', username: 'commander' },
      facilityId: 'f1',
    });
    // The references a row does not have are left out, not sent as null.
    expect(Object.keys(appended)).not.toContain('squadId');
  });
});
