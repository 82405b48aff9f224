// The configuration every test app starts from (test-app.ts), shared with test/global-setup.js,
// which seeds the demo template with the same password and hashing as the apps will log in with.
export const DEMO_PASSWORD = 'pingji-demo';

export const TEST_APP_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
  DEMO_DATA: 'true',
  DEMO_PASSWORD,
  LOGIN_RATE_LIMIT: '1000',
  // Hundreds of logins: argon2 at a test's cost (src/auth/passwords.ts), not at production's.
  PASSWORD_HASHING: 'light',
};
