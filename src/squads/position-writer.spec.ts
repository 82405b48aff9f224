import type { DataSource } from 'typeorm';
import { PositionWriter } from './position-writer.js';

/** A stand-in for the database: records each batch, answers like UPDATE … RETURNING ([rows, count]). */
function fakeDatabase(known: Set<string>, fail = false) {
  const batches: { id: string; lat: number }[][] = [];
  const dataSource = {
    // The write is a prepared statement (preparedQuery): its values come with its name and text.
    async query({ values: [json] }: { values: [string] }) {
      await new Promise((r) => setTimeout(r, 5)); // a write takes a while: reports pile up meanwhile
      if (fail) throw new Error('connection terminated');
      const rows = JSON.parse(json) as { id: string; lat: number }[];
      batches.push(rows);
      const written = rows.filter((r) => known.has(r.id)).map((r) => ({ id: r.id, position_at: new Date() }));
      return [written, written.length];
    },
  } as unknown as DataSource;
  return { dataSource, batches };
}

describe('PositionWriter', () => {
  it('writes a burst of reports in a few batches, the latest position of each squad winning', async () => {
    const squads = Array.from({ length: 10 }, (_, i) => `squad-${i}`);
    const db = fakeDatabase(new Set(squads));
    const writer = new PositionWriter(db.dataSource);
    const reports = Array.from({ length: 200 }, (_, i) => writer.write(squads[i % 10], { lat: i, lng: 118 }));
    const acks = await Promise.all(reports);
    expect(acks.every((at) => at instanceof Date)).toBe(true);
    expect(db.batches.length).toBeLessThanOrEqual(2); // the first report alone, then everything else
    const last = new Map(db.batches.flat().map((r) => [r.id, r.lat]));
    expect(last.get('squad-3')).toBe(193);
  });

  it('refuses an unknown squad without failing the others in its batch, and passes database errors on', async () => {
    const writer = new PositionWriter(fakeDatabase(new Set(['known'])).dataSource);
    const [ok, unknown] = await Promise.allSettled([writer.write('known', { lat: 1, lng: 2 }), writer.write('ghost', { lat: 1, lng: 2 })]);
    expect(ok.status).toBe('fulfilled');
    expect(unknown).toMatchObject({ status: 'rejected', reason: { code: 'SQUAD.NOT_FOUND' } });

    const broken = new PositionWriter(fakeDatabase(new Set(['known']), true).dataSource);
    await expect(broken.write('known', { lat: 1, lng: 2 })).rejects.toThrow('connection terminated');
    await expect(broken.write('known', { lat: 3, lng: 4 })).rejects.toThrow('connection terminated'); // and it keeps going
  });
});
