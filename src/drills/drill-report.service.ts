import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toCsv, withBom } from '../common/csv.js';
import { median, secondsBetween, worst } from './drill-math.js';
import { DrillsService } from './drills.service.js';
import { localIso } from './local-time.js';
import type { DrillReportView, DrillStatsView } from '../contracts/drills.js';

/** The numbers a city reports about its drills: per drill response times, per year counts. */
@Injectable()
export class DrillReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly drills: DrillsService,
  ) {}

  async report(id: string): Promise<DrillReportView> {
    const drill = await this.drills.get(id);
    const participants: { id: string; code: string; name: string; members: number }[] = await this.dataSource.query(
      `SELECT s.id, s.code, s.name, (SELECT count(*)::int FROM squad_members m WHERE m.squad_id = s.id) AS members
       FROM drill_squads ds JOIN squads s ON s.id = ds.squad_id WHERE ds.drill_id = $1 ORDER BY s.code`,
      [id],
    );
    const dispatches: { squad_id: string; created_at: Date; acknowledged_at: Date | null; on_scene_at: Date | null; status: string }[] =
      await this.dataSource.query(
        `SELECT squad_id, created_at, acknowledged_at, on_scene_at, status FROM dispatches
         WHERE drill_id = $1 AND exercise ORDER BY created_at`,
        [id],
      );
    const perSquad = participants.map((p) => {
      const first = dispatches.find((d) => d.squad_id === p.id);
      return {
        squadId: p.id,
        code: p.code,
        name: p.name,
        members: p.members,
        dispatchStatus: first?.status ?? null,
        secondsToAcknowledge: first ? secondsBetween(first.created_at, first.acknowledged_at) : null,
        secondsToArrive: first ? secondsBetween(first.created_at, first.on_scene_at) : null,
      };
    });
    const ack = perSquad.map((s) => s.secondsToAcknowledge).filter((s): s is number => s !== null);
    const arrive = perSquad.map((s) => s.secondsToArrive).filter((s): s is number => s !== null);
    return {
      drill,
      participants: { squads: participants.length, people: participants.reduce((a, p) => a + p.members, 0) },
      squads: perSquad,
      acknowledge: { median: median(ack), worst: worst(ack), count: ack.length },
      arrive: { median: median(arrive), worst: worst(arrive), count: arrive.length },
      log: await this.drills.logOf(id),
    };
  }

  async stats(year: number): Promise<DrillStatsView> {
    const params = [year];
    const held = `FROM drills d WHERE extract(year FROM d.planned_start) = $1 AND d.status <> 'cancelled'`;
    const [byKind, totals, byArea, byMonth] = await Promise.all([
      this.dataSource.query(`SELECT d.kind, count(*)::int AS count ${held} GROUP BY d.kind ORDER BY d.kind`, params),
      this.dataSource.query(
        `SELECT count(*)::int AS drills,
                coalesce(sum(extract(epoch FROM coalesce(d.actual_end, d.planned_end) - coalesce(d.actual_start, d.planned_start))) / 3600, 0)::float AS hours,
                (SELECT count(*)::int FROM drill_squads ds JOIN drills x ON x.id = ds.drill_id
                  WHERE extract(year FROM x.planned_start) = $1 AND x.status <> 'cancelled') AS squad_participations,
                (SELECT count(DISTINCT ds.squad_id)::int FROM drill_squads ds JOIN drills x ON x.id = ds.drill_id
                  WHERE extract(year FROM x.planned_start) = $1 AND x.status <> 'cancelled') AS squads,
                (SELECT count(*)::int FROM squad_members m WHERE m.squad_id IN (SELECT ds.squad_id FROM drill_squads ds JOIN drills x ON x.id = ds.drill_id
                  WHERE extract(year FROM x.planned_start) = $1 AND x.status <> 'cancelled')) AS people
         ${held}`,
        params,
      ),
      this.dataSource.query(`SELECT a AS area, count(*)::int AS count ${held.replace('FROM drills d', 'FROM drills d, unnest(d.areas) a')} GROUP BY a ORDER BY a`, params),
      this.dataSource.query(`SELECT extract(month FROM d.planned_start)::int AS month, d.kind, count(*)::int AS count ${held} GROUP BY 1, 2 ORDER BY 1, 2`, params),
    ]);
    const t = totals[0];
    return {
      year,
      drills: t.drills,
      byKind: Object.fromEntries(byKind.map((r: { kind: string; count: number }) => [r.kind, r.count])),
      hours: Math.round(t.hours * 10) / 10,
      squads: t.squads,
      squadParticipations: t.squad_participations,
      people: t.people,
      byArea: Object.fromEntries(byArea.map((r: { area: string; count: number }) => [r.area, r.count])),
      byMonth,
    };
  }

  /** UTF-8 with a BOM, so Excel opens the Chinese correctly. */
  /** The year's drills; times in `zone` with their offset (ISO 8601), so a spreadsheet shows local time. */
  async exportCsv(year: number, zone = 'UTC'): Promise<string> {
    const drills = await this.drills.list({ year });
    const at = (instant: string | null) => localIso(instant, zone);
    const header = ['id', 'title', 'kind', 'scenario', 'areas', 'plannedStart', 'plannedEnd', 'actualStart', 'actualEnd', 'status', 'squads', 'coordinator', 'summary'];
    const rows = drills.map((d) => [d.id, d.title, d.kind, d.scenario, d.areas.join(';'), at(d.plannedStart), at(d.plannedEnd), at(d.actualStart), at(d.actualEnd), d.status, d.squadIds.length, d.coordinator, d.summary]);
    return withBom(toCsv([header, ...rows]));
  }
}
