import type { TestApp } from './test-app.js';

export interface SquadSummary {
  id: string;
  code: string;
  status: string;
  skills: string[];
}

/** The seeded squads by code (SQ-001 …), as the commander sees them. */
export async function squadsByCode(t: TestApp, token: string): Promise<Map<string, SquadSummary>> {
  const res = await t.http().get('/api/squads').set('authorization', `Bearer ${token}`);
  return new Map((res.body as SquadSummary[]).map((s) => [s.code, s]));
}

export const leaderOf = (code: string) => `leader-${code.slice(3)}`;

export async function createIncident(t: TestApp, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await t.http().post('/api/incidents').set('authorization', `Bearer ${token}`).send({
    kind: 'rescue', severity: 'severe', title: '渔船进水，3人被困', lat: 24.781, lng: 118.762, requiredSkills: ['water_rescue'], ...overrides,
  });
  if (res.status !== 201) throw new Error(`incident: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
