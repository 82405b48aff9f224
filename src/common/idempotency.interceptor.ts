import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, UseInterceptors } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthUser } from './auth-user.js';
import { DomainError } from './domain-error.js';

const KEY = /^[\w.:-]{1,128}$/;

/**
 * Phones on bad connections retry. With an `Idempotency-Key` header, the first successful result of
 * a request is stored and a retry with the same key gets that result again, changing nothing.
 * A key reused for a different request is refused; a retry while the first is still running gets 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly dataSource: DataSource) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (key === undefined) return next.handle();
    return from(this.once(req, res, key, () => lastValueFrom(next.handle())));
  }

  private async once(req: Request & { user: AuthUser }, res: Response, key: string, run: () => Promise<unknown>): Promise<unknown> {
    if (!KEY.test(key)) {
      throw new DomainError('IDEMPOTENCY.BAD_KEY', 'invalid', 'Idempotency-Key must be 1–128 letters, digits, dots, colons, dashes or underscores.');
    }
    const request = `${req.method} ${req.path} ${createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex')}`;
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (user_id, key, request) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [req.user.id, key, request],
    );
    if (!claimed.length) {
      const [seen]: { request: string; status: number | null; body: unknown }[] = await this.dataSource.query(
        'SELECT request, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
        [req.user.id, key],
      );
      if (seen.request !== request) {
        throw new DomainError('IDEMPOTENCY.KEY_REUSED', 'conflict', 'This Idempotency-Key was used for a different request; use a new key.');
      }
      if (seen.status === null) throw new DomainError('IDEMPOTENCY.IN_PROGRESS', 'conflict', 'The first request with this key is still running; retry shortly.');
      res.status(seen.status).setHeader('Idempotent-Replay', 'true');
      return seen.body;
    }
    try {
      const body = await run();
      await this.dataSource.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE user_id = $1 AND key = $2', [
        req.user.id, key, res.statusCode, JSON.stringify(body ?? null),
      ]);
      return body;
    } catch (e) {
      // A failed request changed nothing: let the retry run it again.
      await this.dataSource.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [req.user.id, key]);
      throw e;
    }
  }
}

/** The route honours `Idempotency-Key`. */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);
