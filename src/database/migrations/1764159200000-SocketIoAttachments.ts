import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The table the socket.io PostgreSQL adapter keeps payloads over NOTIFY's 8,000-byte limit in (its
 * documented schema); the adapter deletes old rows itself. Used only with several instances on a server.
 */
export class SocketIoAttachments1764159200000 implements MigrationInterface {
  name = 'SocketIoAttachments1764159200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE socket_io_attachments');
  }
}
