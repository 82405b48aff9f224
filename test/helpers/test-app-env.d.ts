export const DEMO_PASSWORD: string;
export const TEST_APP_ENV: Readonly<Record<string, string>>;
