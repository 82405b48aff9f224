import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AREAS } from '../contracts/facilities.js';
import { seededRandom } from './random.js';

export const SEEDED_DRILLS = 224;

const DRILL_SCENARIOS = ['台风登陆前渔港人员转移', '城区内涝群众疏散', '风暴潮预警响应', '工业园区火灾疏散', '邻里中心应急安置', '老旧小区燃气泄漏处置', '突发公共卫生事件响应'];
const TRAININGS = ['心肺复苏与AED培训', '水上救援技能培训', '消防器材使用培训', '应急物资调配培训', '心理疏导技能培训', '应急通讯保障培训'];
// Typhoon season (June–October) sees more exercises.
const MONTH_WEIGHT = [0.6, 0.5, 0.8, 0.9, 1.0, 1.4, 1.6, 1.6, 1.5, 1.2, 0.8, 0.6];

/** A year of past drills and trainings (220+, as the report says), spread over squads, areas and months. */
export async function seedDrills(m: EntityManager, now = new Date()): Promise<void> {
  const [{ n }] = await m.query('SELECT count(*)::int AS n FROM drills');
  if (n > 0) return;
  const squads: { id: string; area_code: string }[] = await m.query('SELECT id, area_code FROM squads ORDER BY code');
  const [coordinator] = await m.query(`SELECT id, username FROM users WHERE username = 'coordinator'`);
  if (!squads.length) return;
  const rand = seededRandom(220);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const monthTotal = MONTH_WEIGHT.reduce((a, b) => a + b, 0);
  const drills: object[] = [];
  const members: { drill_id: string; squad_id: string }[] = [];
  const ids = Array.from({ length: SEEDED_DRILLS }, () => randomUUID());
  for (let i = 0; i < SEEDED_DRILLS; i++) {
    // A month by weight, counted back from now: the last twelve months.
    let r = rand() * monthTotal;
    let month = 0;
    while (r > MONTH_WEIGHT[month]) r -= MONTH_WEIGHT[month++];
    const start = new Date(Date.UTC(now.getUTCFullYear(), month, 1 + Math.floor(rand() * 27), 1 + Math.floor(rand() * 8)));
    if (start > now) start.setUTCFullYear(start.getUTCFullYear() - 1);
    const hours = 1 + Math.floor(rand() * 4);
    const end = new Date(start.getTime() + hours * 3_600_000);
    const area = pick(AREAS);
    const kind = rand() < 0.58 ? 'drill' : 'training';
    const title = kind === 'drill' ? `${area.zh}${pick(DRILL_SCENARIOS)}演练` : `${area.zh}${pick(TRAININGS)}`;
    drills.push({ id: ids[i], title, kind, scenario: title, areas: [area.code], start: start.toISOString(), end: end.toISOString() });
    const local = squads.filter((s) => s.area_code === area.code);
    const count = 1 + Math.floor(rand() * Math.min(4, local.length));
    for (const s of [...local].sort(() => rand() - 0.5).slice(0, count)) members.push({ drill_id: ids[i], squad_id: s.id });
  }
  await m.query(
    `INSERT INTO drills (id, title, kind, scenario, areas, planned_start, planned_end, actual_start, actual_end, status, summary, coordinator_id, coordinator_name)
     SELECT id, title, kind, scenario, areas, start, "end", start, "end", 'finished', '按计划完成', $2, $3
     FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, title text, kind text, scenario text, areas text[], start timestamptz, "end" timestamptz)`,
    [JSON.stringify(drills), coordinator?.id ?? null, coordinator?.username ?? 'coordinator'],
  );
  await m.query(
    `INSERT INTO drill_squads (drill_id, squad_id) SELECT drill_id, squad_id FROM jsonb_to_recordset($1::jsonb) AS r(drill_id uuid, squad_id uuid)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(members)],
  );
}
