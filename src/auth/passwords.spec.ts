import { hashPassword, verifyPassword } from './passwords.js';

describe('password hashes', () => {
  it('are argon2id at 64 MiB and 3 passes, or at a light cost for tests; either verifies the same way', async () => {
    const standard = await hashPassword('correct horse battery', 'standard');
    expect(standard).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    const light = await hashPassword('correct horse battery', 'light');
    expect(light).toMatch(/^\$argon2id\$v=19\$m=4096,p=4,t=1\$/);
    for (const hash of [standard, light]) {
      expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
      expect(await verifyPassword(hash, 'wrong horse battery')).toBe(false);
    }
    expect(await verifyPassword('not a hash', 'correct horse battery')).toBe(false);
  });
});
