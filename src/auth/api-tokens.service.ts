import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { EventsService } from '../events/events.service.js';
import type { AuthUser } from '../common/auth-user.js';

/** Every API token starts with this, so the guard tells one from a JWT without a database read. */
export const API_TOKEN_PREFIX = 'pjt_';
// pjt_ + 32 random bytes in base64url (43 characters).
const API_TOKEN_SHAPE = /^pjt_[A-Za-z0-9_-]{43}$/;
// last_used_at is a hint for the commander ("is this platform still reading?"), not an audit log:
// written at most once a minute per token, so a platform polling every second costs no writes.
const LAST_USED_PRECISION_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiTokenRow {
  id: string;
  name: string;
  created_by_name: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const toView = (r: ApiTokenRow): ApiTokenView => ({
  id: r.id,
  name: r.name,
  createdBy: r.created_by_name,
  createdAt: iso(r.created_at)!,
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});

export const hashApiToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const invalidToken = () =>
  new DomainError('AUTH.INVALID_API_TOKEN', 'unauthorized', 'This API token is not valid or has been revoked; ask a commander for a new one.');

/**
 * Read-only tokens for warning platforms that cannot log in. A token reads what a viewer reads, and
 * only on the routes marked @AllowApiToken (the CAP alert and feed); the guard enforces that.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  /** Makes a token; the only time the token itself is ever returned. */
  async create(actor: AuthUser, name: string): Promise<{ id: string; name: string; token: string; createdAt: string }> {
    const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    return this.dataSource.transaction(async (m) => {
      const [row]: { id: string; created_at: Date }[] = await m.query(
        'INSERT INTO api_tokens (name, token_hash, created_by) VALUES ($1, $2, $3) RETURNING id, created_at',
        [name, hashApiToken(token), actor.id],
      );
      // Who let which platform in, and when, belongs in the audit trail like every other change.
      await this.events.append(m, { type: 'api_token.created', audience: 'staff', actor, payload: { tokenId: row.id, name } });
      return { id: row.id, name, token, createdAt: new Date(row.created_at).toISOString() };
    });
  }

  /** Every token ever made, revoked ones included, newest first; never the tokens themselves. */
  async list(): Promise<ApiTokenView[]> {
    const rows: ApiTokenRow[] = await this.dataSource.query(
      `SELECT t.id, t.name, u.username AS created_by_name, t.created_at, t.last_used_at, t.revoked_at
       FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by ORDER BY t.created_at DESC, t.id`,
    );
    return rows.map(toView);
  }

  /** Revokes a token at once (its next request gets 401). Revoking a revoked token changes nothing. */
  async revoke(actor: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [row]: { name: string; revoked: boolean }[] = await m.query(
        'SELECT name, revoked_at IS NOT NULL AS revoked FROM api_tokens WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!row) throw new DomainError('API_TOKEN.NOT_FOUND', 'not_found', { id });
      if (row.revoked) return;
      await m.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
      await this.events.append(m, { type: 'api_token.revoked', audience: 'staff', actor, payload: { tokenId: id, name: row.name } });
    });
  }

  /** The reader a token stands for (viewer visibility), or AUTH.INVALID_API_TOKEN. */
  async authenticate(token: string): Promise<AuthUser> {
    if (!API_TOKEN_SHAPE.test(token)) throw invalidToken();
    const [row]: { id: string; name: string; stale: boolean }[] = await this.dataSource.query(
      `SELECT id, name, (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2)) AS stale
       FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hashApiToken(token), LAST_USED_PRECISION_MS / 1000],
    );
    if (!row) throw invalidToken();
    if (row.stale) await this.dataSource.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
    return { id: row.id, username: `api-token:${row.name}`, role: 'viewer', squadId: null };
  }
}
