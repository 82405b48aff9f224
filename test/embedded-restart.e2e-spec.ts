import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from './helpers/test-app.js';

describe('the embedded database on disk (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pingji-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what was written across a graceful shutdown and reopens cleanly', async () => {
    const disk = { env: { PGLITE_DIR: dir }, drop: async () => {} };
    const first = await startTestApp({}, disk);
    const commander = await first.login('commander');
    const created = await first
      .http()
      .post('/api/users')
      .set('authorization', `Bearer ${commander}`)
      .send({ username: 'survivor', password: 'survives restarts', role: 'coordinator' });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startTestApp({}, disk);
    try {
      const res = await second.http().post('/api/auth/login').send({ username: 'survivor', password: 'survives restarts' });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: created.body.id, role: 'coordinator' });
    } finally {
      await second.close();
    }
  });
});
