import { Logger } from '@nestjs/common';
import { pgError } from './pg-errors.js';

export const DEADLOCK_DETECTED = '40P01';
export const SERIALIZATION_FAILURE = '40001';

/** PostgreSQL aborted the transaction to resolve a conflict with another one: running it again is safe. */
export function isTransientConflict(e: unknown): boolean {
  const code = pgError(e).code;
  return code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
}

const logger = new Logger('TransactionRetry');

/** How many transactions PostgreSQL aborted as deadlock victims or for serialization in this process (tests read it). */
export const conflictStats = { retried: 0 };

/**
 * Runs a whole transaction again, once, when PostgreSQL aborted it as a deadlock victim (40P01) or for
 * a serialization failure (40001). Locks are taken in id order everywhere several rows are locked, so
 * this should not happen; when it still does, the client gets the answer of the second try, and a
 * second failure becomes a 409 "try again" (error-response.ts), never a 500. The transaction rolled
 * back as a whole, so nothing of the first try remains.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, retries = 1): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isTransientConflict(e)) throw e;
      conflictStats.retried++;
      if (attempt >= retries) throw e;
      logger.warn(`transaction aborted by PostgreSQL (${pgError(e).code}); running it again`);
      // A short random pause, so the two transactions that collided do not collide again at once.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}
