import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';

// 32 random bytes in base64url (43 characters): opaque, so it proves nothing without the table.
const REFRESH_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export const invalidRefreshToken = () =>
  new DomainError('AUTH.INVALID_REFRESH_TOKEN', 'unauthorized', 'This session has ended (the refresh token is not valid any more); log in again.');

/**
 * Refresh tokens, kept as hashes: each is used once and replaced by a new one of its family (one
 * login). Presenting a spent one means two holders of the same token — one of them a thief — so the
 * whole family is revoked and both must log in again.
 */
export const RefreshTokens = {
  /** A new token for `userId`, valid for `ttlSeconds` (a new family unless one is given). */
  async issue(m: EntityManager, userId: string, ttlSeconds: number, familyId: string = randomUUID()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await m.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [userId, familyId, hash(token), ttlSeconds],
    );
    return token;
  },

  /**
   * Spends a token (one conditional UPDATE, so two concurrent uses cannot both succeed) and returns
   * its user and family; null for an unknown, expired, revoked or spent one — after revoking the family
   * if it had been spent. (Null, not a throw: the revocation must commit.)
   */
  async spend(m: EntityManager, token: string): Promise<{ userId: string; familyId: string } | null> {
    if (!REFRESH_TOKEN_SHAPE.test(token)) return null;
    const [spent] = rowsOf<{ user_id: string; family_id: string }>(await m.query(
      `UPDATE refresh_tokens SET used_at = now()
       WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
       RETURNING user_id, family_id`,
      [hash(token)],
    ));
    if (spent) return { userId: spent.user_id, familyId: spent.family_id };
    await m.query(
      `UPDATE refresh_tokens SET revoked_at = now()
       WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL)`,
      [hash(token)],
    );
    return null;
  },

  /** Ends the login a token belongs to (logging out): every token of its family. Unknown tokens change nothing. */
  async revokeFamily(m: EntityManager, token: string): Promise<void> {
    if (!REFRESH_TOKEN_SHAPE.test(token)) return;
    await m.query(
      `UPDATE refresh_tokens SET revoked_at = now()
       WHERE revoked_at IS NULL AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
      [hash(token)],
    );
  },

  /** Ends every session of a user (disabling them). */
  async revokeAll(m: EntityManager, userId: string): Promise<void> {
    await m.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  },

  /** Drops a user's tokens that expired more than a day ago (at login: the table stays small). */
  async prune(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at < now() - interval '1 day'`, [userId]);
  },
};
