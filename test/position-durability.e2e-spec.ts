import { DataSource, type QueryRunner } from 'typeorm';
import { PositionWriter } from '../src/squads/position-writer.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const synchronousCommit = async (runner: QueryRunner) => ((await runner.query('SHOW synchronous_commit')) as { synchronous_commit: string }[])[0].synchronous_commit;

/**
 * A batch of positions commits without waiting for the disk flush; a position written inside another
 * change's transaction leaves that transaction's commit (and its events) as durable as ever.
 */
describe('how durably positions are committed (e2e)', () => {
  let t: TestApp;
  let squadId: string;
  beforeAll(async () => {
    t = await startTestApp();
    [{ id: squadId }] = await t.app.get(DataSource).query('SELECT id FROM squads ORDER BY code LIMIT 1');
  });
  afterAll(async () => {
    await t.close();
  });

  /** The writer on one connection inside an open transaction, reporting the setting after each of its statements. */
  async function settingAfterWrites(write: (writer: PositionWriter, runner: QueryRunner) => Promise<unknown>): Promise<string[]> {
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const seen: string[] = [];
    const onRunner = {
      query: async (q: string, p?: unknown[]) => {
        const result: unknown = await runner.query(q, p);
        seen.push(await synchronousCommit(runner));
        return result;
      },
    } as unknown as DataSource;
    try {
      await write(new PositionWriter(onRunner), runner);
      if (!seen.length) seen.push(await synchronousCommit(runner));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    return seen;
  }

  it('a batch of reports: its own transaction does not wait for the flush', async () => {
    expect(await settingAfterWrites((writer) => writer.write(squadId, { lat: 24.73, lng: 118.64 }))).toEqual(['off']);
  });

  it("a position inside another change's transaction: that commit still waits for the flush", async () => {
    expect(await settingAfterWrites((writer, runner) => writer.writeIn(runner.manager, squadId, { lat: 24.73, lng: 118.64 }))).toEqual(['on']);
  });
});
