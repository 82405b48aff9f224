import type { EntityManager } from 'typeorm';
import { type Applied, existing, type Progress, writeInChunks } from './import-writes.js';
import { canonicalMembers, type SquadMemberPlan, type SquadPlan } from './import-checks.js';
import type { RowProblem as RowError } from '../common/domain-error.js';
import { rowText } from '../common/messages/rows.js';

/** Squads name areas and base sites that must already exist (import the sites first). */
export async function checkSquadReferences(m: EntityManager, squads: SquadPlan[]): Promise<RowError[]> {
  const areas = await existing(m, 'areas', [...new Set(squads.map((s) => s.areaCode))]);
  const sites = await existing(m, 'facilities', [...new Set(squads.flatMap((s) => (s.baseSiteCode ? [s.baseSiteCode] : [])))]);
  return squads.flatMap((s): RowError[] => [
    ...(areas.has(s.areaCode) ? [] : [{ line: s.line, field: 'areaCode', ...rowText('unknownArea', { value: s.areaCode }) }]),
    ...(s.baseSiteCode && !sites.has(s.baseSiteCode)
      ? [{ line: s.line, field: 'baseSiteCode', ...rowText('unknownBaseSite', { value: s.baseSiteCode }) }]
      : []),
  ]);
}

const UPSERT = `
  INSERT INTO squads (code, name, area_code, base_facility_id, skills)
  SELECT r.code, r.name, r.area_code, f.id, r.skills
  FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, area_code text, base_code text, skills text[])
  LEFT JOIN facilities f ON f.code = r.base_code
  ON CONFLICT (code) DO UPDATE SET
    name = excluded.name, area_code = excluded.area_code, base_facility_id = excluded.base_facility_id, skills = excluded.skills
  -- Skills are a set: the file's come sorted, the stored ones are compared sorted.
  WHERE (squads.name, squads.area_code, squads.base_facility_id, array(SELECT unnest(squads.skills) ORDER BY 1))
    IS DISTINCT FROM (excluded.name, excluded.area_code, excluded.base_facility_id, excluded.skills)
  RETURNING code, (xmax = 0) AS inserted`;

const MEMBERS_OF = `
  SELECT s.code, m.name, m.phone, m.skills, m.party_member, m.is_leader
  FROM squad_members m JOIN squads s ON s.id = m.squad_id WHERE s.code = ANY($1::text[])`;

const DELETE_MEMBERS = 'DELETE FROM squad_members WHERE squad_id IN (SELECT id FROM squads WHERE code = ANY($1::text[]))';
const INSERT_MEMBERS = `
  INSERT INTO squad_members (squad_id, name, phone, skills, party_member, is_leader)
   SELECT s.id, r.name, r.phone, r.skills, r.party_member, r.is_leader
   FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, phone text, skills text[], party_member boolean, is_leader boolean)
   JOIN squads s ON s.code = r.code`;

/** Upserts squads by code; a squad's members are replaced by the file's only where they differ. */
export async function applySquads(m: EntityManager, squads: SquadPlan[], progress: Progress): Promise<Applied> {
  const created = new Set<string>();
  const updated = new Set<string>();
  await writeInChunks(squads, async (chunk) => {
    const rows = chunk.map((s) => ({ code: s.code, name: s.name, area_code: s.areaCode, base_code: s.baseSiteCode, skills: s.skills }));
    const changed: { code: string; inserted: boolean }[] = await m.query(UPSERT, [JSON.stringify(rows)]);
    for (const c of changed) (c.inserted ? created : updated).add(c.code);

    const current = new Map<string, SquadMemberPlan[]>();
    const stored: { code: string; name: string; phone: string | null; skills: string[]; party_member: boolean; is_leader: boolean }[] = await m.query(
      MEMBERS_OF,
      [chunk.map((s) => s.code)],
    );
    for (const r of stored) {
      const list = current.get(r.code) ?? [];
      list.push({ name: r.name, phone: r.phone, skills: r.skills, partyMember: r.party_member, isLeader: r.is_leader });
      current.set(r.code, list);
    }
    const differing = chunk.filter((s) => canonicalMembers(s.members) !== canonicalMembers(current.get(s.code) ?? []));
    if (differing.length) {
      await m.query(DELETE_MEMBERS, [differing.map((s) => s.code)]);
      const members = differing.flatMap((s) =>
        s.members.map((mb) => ({ code: s.code, name: mb.name, phone: mb.phone, skills: mb.skills, party_member: mb.partyMember, is_leader: mb.isLeader })),
      );
      if (members.length) await m.query(INSERT_MEMBERS, [JSON.stringify(members)]);
      for (const s of differing) if (!created.has(s.code)) updated.add(s.code);
    }
  }, progress);
  return { created: created.size, updated: updated.size, areasCreated: [] };
}
