import type { EntityManager } from 'typeorm';
import { AREAS } from '../contracts/facilities.js';
import { type Skill, SKILLS } from '../contracts/squads.js';
import { SQUAD_COUNT } from './demo-users.js';
import { apportion, seededRandom } from './random.js';

const SURNAMES = ['蔡', '王', '陈', '林', '黄', '吴', '许', '李', '洪', '施', '郑', '张', '邱', '杨', '谢', '苏', '颜', '欧阳'];
const GIVEN = ['志强', '丽娟', '建华', '秀英', '国平', '婷婷', '明辉', '雅琴', '文斌', '小燕', '伟东', '美玲', '金水', '阿花', '海波', '振兴',
  '淑芬', '少华', '荣发', '佳怡', '天佑', '晓梅', '家豪', '春生'];
const COASTAL = new Set(['hanjiang', 'xiangzhi', 'hongshan', 'jinshang', 'yongning']);

/**
 * 128 vanguard squads (应急先锋队), spread over the areas in proportion to their sites, each based at
 * a center or station of its area, 5–15 members (mostly party members), and its leader account linked.
 */
export async function seedSquads(m: EntityManager): Promise<void> {
  const codes = Array.from({ length: SQUAD_COUNT }, (_, i) => squadCode(i + 1));
  const [{ n: existing }] = await m.query('SELECT count(*)::int AS n FROM squads WHERE code = ANY($1::text[])', [codes]);
  if (existing < SQUAD_COUNT) await insertSquads(m);
  // leader-001 … leader-128 lead SQ-001 … SQ-128.
  await m.query(
    `UPDATE users u SET squad_id = s.id FROM squads s
     WHERE u.is_demo AND u.role = 'squad_leader' AND u.squad_id IS NULL AND u.username = 'leader-' || substr(s.code, 4)`,
  );
}

const squadCode = (n: number) => `SQ-${String(n).padStart(3, '0')}`;

/** The squads and their members; squads that exist are left alone, members included. */
async function insertSquads(m: EntityManager): Promise<void> {
  const rand = seededRandom(128);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const sites: { id: string; name: string; area_code: string; type: string }[] = await m.query(
    `SELECT id, name, area_code, type FROM facilities WHERE type IN ('neighborhood_center', 'service_station') ORDER BY code`,
  );
  if (!sites.length) return;
  const perArea = await m.query('SELECT area_code, count(*)::int AS n FROM facilities GROUP BY area_code');
  const weights = AREAS.map((a) => perArea.find((r: { area_code: string }) => r.area_code === a.code)?.n ?? 0);
  const counts = apportion(SQUAD_COUNT, weights);

  const squads: object[] = [];
  const members: object[] = [];
  let n = 0;
  AREAS.forEach((area, ai) => {
    const bases = sites.filter((s) => s.area_code === area.code);
    for (let k = 0; k < counts[ai]; k++) {
      n += 1;
      const code = squadCode(n);
      const base = bases[k % bases.length];
      const place = base.name.replace(area.zh, '').replace(/(城市社区|工业园区|传统村落|商圈市场|渔港码头)?(邻里中心|社区邻里服务站)$/, '');
      const core: Skill[] = COASTAL.has(area.code) ? ['water_rescue', 'first_aid', 'evacuation'] : ['first_aid', 'evacuation', 'firefighting'];
      const skills = new Set<Skill>([core[k % core.length], pick(SKILLS), pick(SKILLS)]);
      squads.push({ code, name: `${area.zh}${place}应急先锋队（第${k + 1}队）`, area_code: area.code, base_facility_id: base.id, skills: [...skills] });
      const size = 5 + Math.floor(rand() * 11);
      for (let i = 0; i < size; i++) {
        members.push({
          squad_code: code,
          name: pick(SURNAMES) + pick(GIVEN),
          phone: `13${Math.floor(rand() * 10)}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
          party_member: rand() < 0.75,
          is_leader: i === 0,
          skills: [...skills].filter(() => rand() < 0.6),
        });
      }
    }
  });

  const inserted: { code: string }[] = await m.query(
    `INSERT INTO squads (code, name, area_code, base_facility_id, skills)
     SELECT code, name, area_code, base_facility_id, skills
     FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, area_code text, base_facility_id uuid, skills text[])
     ON CONFLICT (code) DO NOTHING RETURNING code`,
    [JSON.stringify(squads)],
  );
  const fresh = new Set(inserted.map((s) => s.code));
  await m.query(
    `INSERT INTO squad_members (squad_id, name, phone, party_member, is_leader, skills)
     SELECT s.id, r.name, r.phone, r.party_member, r.is_leader, r.skills
     FROM jsonb_to_recordset($1::jsonb) AS r(squad_code text, name text, phone text, party_member boolean, is_leader boolean, skills text[])
     JOIN squads s ON s.code = r.squad_code`,
    [JSON.stringify(members.filter((mb) => fresh.has((mb as { squad_code: string }).squad_code)))],
  );
}
