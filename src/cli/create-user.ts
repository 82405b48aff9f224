// npm run user:create -- --username NAME --role ROLE [--squad-id ID]
// Makes a real account (for production, where there are no demo accounts). The password is read from
// PINGJI_PASSWORD or asked for on the terminal, never taken from the command line (shell history).
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import dataSource from './data-source.js';
import { User } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { loadConfig } from '../config/config.js';
import { DomainError } from '../common/domain-error.js';
import { type Role, ROLES } from '../contracts/auth.js';

const { values } = parseArgs({ options: { username: { type: 'string' }, role: { type: 'string' }, 'squad-id': { type: 'string' } } });
if (!values.username || !ROLES.includes(values.role as Role)) {
  console.error(`Usage: npm run user:create -- --username NAME --role ${ROLES.join('|')} [--squad-id ID]`);
  process.exit(2);
}
let password = process.env.PINGJI_PASSWORD;
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question('Password (at least 10 characters): ');
  rl.close();
}
if (password.length < 10) {
  console.error('The password must be at least 10 characters long.');
  process.exit(2);
}

await dataSource.initialize();
try {
  await dataSource.runMigrations();
  const user = await new UsersService(dataSource.getRepository(User), loadConfig()).create({
    username: values.username,
    password,
    role: values.role as Role,
    squadId: values['squad-id'],
  });
  console.log(`Created ${user.role} ${user.username} (${user.id}).`);
} catch (e) {
  if (!(e instanceof DomainError)) throw e;
  console.error(e.message);
  process.exitCode = 1;
} finally {
  await dataSource.destroy();
}
