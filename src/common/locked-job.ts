import { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` every `ms` inside a transaction that first takes a PostgreSQL advisory lock, so with
 * several instances only one runs it at a time, and another takes over the moment one dies (the lock
 * goes with its connection). Runs never overlap within a process either.
 */
export function scheduleLockedJob(
  registry: SchedulerRegistry,
  dataSource: DataSource,
  job: { name: string; ms: number; lockKey: number; work: (m: EntityManager) => Promise<void> },
): { runOnce: () => Promise<boolean> } {
  const logger = new Logger(job.name);
  let running: Promise<boolean> | undefined;
  const runOnce = (): Promise<boolean> => {
    running ??= dataSource
      .transaction(async (m) => {
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [job.lockKey]);
        if (!locked) return false;
        await job.work(m);
        return true;
      })
      .catch((e: Error) => {
        logger.warn(`${job.name} failed: ${e.message}`);
        return false;
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void runOnce(), job.ms);
  timer.unref();
  registry.addInterval(job.name, timer);
  return { runOnce };
}
