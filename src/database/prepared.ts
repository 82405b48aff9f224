import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs a statement of a hot path (a dispatch, every event append) as a named prepared statement:
 * PostgreSQL parses it once per connection and, after a few runs, keeps a generic plan, instead of
 * parsing and planning it on every call. Measured on a dispatch: parse and bind were half of its time in
 * the server database. Results and errors are TypeORM's, as for `query`.
 *
 * TypeORM hands its query to node-postgres unchanged, and node-postgres takes a name with the text; the
 * embedded database speaks the same protocol through its adapter. `name` must be unique to `text`.
 */
export function preparedQuery<T>(db: EntityManager | DataSource, name: string, text: string, values: unknown[]): Promise<T> {
  return db.query({ name, text, values } as unknown as string);
}
