import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usernames are unique whatever their case (`Li.Wei` and `li.wei` are one person), and login matches
 * them so. Names that already differ only in case cannot be merged safely (each has its own password
 * and role), so the migration stops and names them: rename all but one, then start again.
 */
export class UsernameCase1764159510000 implements MigrationInterface {
  name = 'UsernameCase1764159510000';

  async up(q: QueryRunner): Promise<void> {
    const clashes: { names: string }[] = await q.query(
      `SELECT string_agg(username, ', ' ORDER BY username) AS names FROM users GROUP BY lower(username) HAVING count(*) > 1 ORDER BY lower(username)`,
    );
    if (clashes.length) {
      throw new Error(
        `Usernames must be unique whatever their case, but these differ only in case: ${clashes.map((c) => `[${c.names}]`).join('; ')}. ` +
          `Rename all but one of each (UPDATE users SET username = '…' WHERE username = '…'), then start again.`,
      );
    }
    await q.query('CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX users_username_lower_key');
  }
}
