import { conflictStats, retryOnConflict } from './transaction-retry.js';

const pgFailure = (code: string) => Object.assign(new Error(`failed with ${code}`), { driverError: { code } });

describe('retryOnConflict', () => {
  it('runs a transaction PostgreSQL aborted as a deadlock victim or for serialization once more', async () => {
    for (const code of ['40P01', '40001']) {
      let runs = 0;
      const result = await retryOnConflict(async () => {
        runs++;
        if (runs === 1) throw pgFailure(code);
        return 'done';
      });
      expect([result, runs]).toEqual(['done', 2]);
    }
  });

  it('gives up after one retry, with the error of the last try, and counts both aborts', async () => {
    const before = conflictStats.retried;
    let runs = 0;
    await expect(retryOnConflict(async () => {
      runs++;
      throw pgFailure('40P01');
    })).rejects.toMatchObject({ driverError: { code: '40P01' } });
    expect(runs).toBe(2);
    expect(conflictStats.retried - before).toBe(2);
  });

  it('never retries anything else (a unique violation, a domain error)', async () => {
    for (const error of [pgFailure('23505'), new Error('STOCK.INSUFFICIENT')]) {
      let runs = 0;
      await expect(retryOnConflict(async () => {
        runs++;
        throw error;
      })).rejects.toBe(error);
      expect(runs).toBe(1);
    }
  });
});
