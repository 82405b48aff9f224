import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, type NestInterceptor, type OnModuleInit, UseInterceptors } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Request, Response } from 'express';
import { catchError, from, lastValueFrom, type Observable, throwError } from 'rxjs';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from './auth-user.js';
import { DomainError } from './domain-error.js';
import { scheduleLockedJob } from './locked-job.js';

const KEY = /^[\w.:-]{1,128}$/;
/** How long a key is remembered: a retry after that is a new request. */
export const IDEMPOTENCY_TTL_HOURS = 24;
const EXPIRY_LOCK = 7_400_105;

interface IdempotencyScope {
  userId: string;
  key: string;
  request: string;
  status: number;
  /** The action ran in idempotentTransaction (at least once: a retried transaction claims again). */
  used: boolean;
  /** Inside that transaction now: a nested one is plain. */
  inside: boolean;
}

/** The stored answer of an earlier request with the same key, thrown out of the action's transaction. */
class IdempotentReplay {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

const scopes = new AsyncLocalStorage<IdempotencyScope>();

/**
 * The action's transaction, made idempotent when the request carries an `Idempotency-Key`: the key is
 * claimed first, in the same transaction as the action, and the action's answer is stored before it
 * commits — claim, act, store, all or nothing. A crash anywhere rolls all three back, so the retry runs
 * the action afresh; a retry after commit gets the stored answer and changes nothing. A concurrent
 * duplicate waits on the key's row (the unique index) and then gets the first one's answer. Called again
 * after a failed attempt (a retry after a deadlock), it claims again. Without a key (or outside an
 * @Idempotent route) this is `dataSource.transaction(work)`.
 */
export async function idempotentTransaction<T>(dataSource: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  const scope = scopes.getStore();
  if (!scope || scope.inside) return dataSource.transaction(work);
  scope.used = true;
  scope.inside = true;
  try {
    return await dataSource.transaction(async (m) => {
      await claim(m, scope);
      const result = await work(m);
      await m.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE user_id = $1 AND key = $2', [
        scope.userId, scope.key, scope.status, JSON.stringify(result ?? null),
      ]);
      return result;
    });
  } finally {
    scope.inside = false;
  }
}

/** Whether the current request carries an Idempotency-Key (and this is not already its transaction). */
export function hasIdempotencyKey(): boolean {
  const scope = scopes.getStore();
  return !!scope && !scope.inside;
}

async function claim(m: EntityManager, scope: IdempotencyScope): Promise<void> {
  // A key older than the TTL is claimed anew; an unexpired one (committed: a concurrent claim waits here) is answered.
  const claimed: unknown[] = await m.query(
    `INSERT INTO idempotency_keys (user_id, key, request) VALUES ($1, $2, $3)
     ON CONFLICT (user_id, key) DO UPDATE SET request = EXCLUDED.request, status = NULL, body = NULL, created_at = now()
       WHERE idempotency_keys.created_at < now() - make_interval(hours => $4)
     RETURNING key`,
    [scope.userId, scope.key, scope.request, IDEMPOTENCY_TTL_HOURS],
  );
  if (claimed.length) return;
  const [seen]: { request: string; status: number | null; body: unknown }[] = await m.query(
    'SELECT request, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
    [scope.userId, scope.key],
  );
  if (seen.request !== scope.request) {
    throw new DomainError('IDEMPOTENCY.KEY_REUSED', 'conflict', 'This Idempotency-Key was used for a different request; use a new key.');
  }
  // Only a key left by an older release can be unanswered: its request never completed.
  if (seen.status === null) throw new DomainError('IDEMPOTENCY.IN_PROGRESS', 'conflict', 'The first request with this key did not complete; retry with a new key.');
  throw new IdempotentReplay(seen.status, seen.body);
}

/**
 * Phones on bad connections retry. With an `Idempotency-Key` header, the route's action runs in
 * `idempotentTransaction`: the first successful answer is stored with the action, and a retry with the
 * same key gets that answer again (header `Idempotent-Replay: true`), changing nothing. A key reused for
 * a different request is refused (409). Keys are forgotten after 24 hours.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (key === undefined) return next.handle();
    if (!KEY.test(key)) {
      throw new DomainError('IDEMPOTENCY.BAD_KEY', 'invalid', 'Idempotency-Key must be 1–128 letters, digits, dots, colons, dashes or underscores.');
    }
    const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const scope: IdempotencyScope = {
      userId: req.user.id,
      key,
      request: `${req.method} ${req.path} ${createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex')}`,
      status,
      used: false,
      inside: false,
    };
    return from(
      scopes.run(scope, async () => {
        const body = await lastValueFrom(next.handle());
        if (!scope.used) throw new Error(`${req.method} ${req.path} is @Idempotent but its action did not run in idempotentTransaction`);
        return body;
      }),
    ).pipe(
      catchError((e: unknown) => {
        if (!(e instanceof IdempotentReplay)) return throwError(() => e);
        res.status(e.status).setHeader('Idempotent-Replay', 'true');
        return from([e.body]);
      }),
    );
  }
}

/** Forgets idempotency keys older than the TTL, hourly (one instance at a time). */
@Injectable()
export class IdempotencyKeyExpiry implements OnModuleInit {
  private job?: { runOnce: () => Promise<boolean> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
  ) {}

  onModuleInit(): void {
    this.job = scheduleLockedJob(this.registry, this.dataSource, {
      name: 'idempotency-key-expiry',
      ms: 60 * 60 * 1000,
      lockKey: EXPIRY_LOCK,
      work: async (m) => {
        await m.query('DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)', [IDEMPOTENCY_TTL_HOURS]);
      },
    });
  }

  /** Runs the cleanup now (tests). */
  expireNow(): Promise<boolean> {
    return this.job!.runOnce();
  }
}

/** The route honours `Idempotency-Key`; its action must run in `idempotentTransaction`. */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);
