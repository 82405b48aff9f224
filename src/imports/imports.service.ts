import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { EventsService } from '../events/events.service.js';
import { UserChannel } from '../events/user-channel.js';
import type { FacilityImportRowDto } from './dto/facility-import-row.dto.js';
import type { Lined, SquadPlan } from './import-checks.js';
import { invalidRows } from './import-file.js';
import { readFacilityFile, type ReadFile, readSquadFile } from './import-formats.js';
import { applyFacilities, checkFacilityReferences } from './facility-writes.js';
import { applySquads, checkSquadReferences } from './squad-writes.js';
import type { RowProblem as RowError } from '../common/domain-error.js';
import type { ImportFormat, ImportKind, ImportResult } from '../contracts/imports.js';
import type { Applied, Progress } from './import-writes.js';


/** Imports run one at a time (both read what the other writes): a transaction-scoped advisory lock. */
const IMPORT_LOCK = 7_400_010;

export interface ImportRequest {
  importId: string;
  format: ImportFormat;
  fileName?: string;
  text: string;
  dryRun?: boolean;
}

class DryRunFinished extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run');
  }
}

/** Sites among `codes` in normal mode whose area has sites in emergency, by area. */
async function sitesInEmergencyAreas(m: EntityManager, codes: string[]): Promise<NonNullable<ImportResult['inEmergencyAreas']>> {
  const rows: { area_code: string; ids: string[]; codes: string[] }[] = await m.query(
    `SELECT f.area_code, array_agg(f.id::text ORDER BY f.code) AS ids, array_agg(f.code ORDER BY f.code) AS codes
     FROM facilities f
     WHERE f.code = ANY($1::text[]) AND f.mode = 'normal'
       AND EXISTS (SELECT 1 FROM facilities o WHERE o.area_code = f.area_code AND o.mode = 'emergency')
     GROUP BY f.area_code ORDER BY f.area_code`,
    [codes],
  );
  return rows.map((r) => ({ areaCode: r.area_code, facilityIds: r.ids, codes: r.codes }));
}

/**
 * Bringing a city's own sites and squads in: every row checked first (nothing is written while any row
 * is wrong), then one transaction upserting by code, so the same file imported twice changes nothing.
 * The uploader's sockets get progress as it goes; `import.completed` commits with the change.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly channel: UserChannel,
  ) {}

  /** The areas, for the code lists at the head of the templates. */
  areas(): Promise<{ code: string; name: string; nameEn: string | null }[]> {
    return this.dataSource.query('SELECT code, name, name_en AS "nameEn" FROM areas ORDER BY code');
  }

  importFacilities(actor: AuthUser, req: ImportRequest): Promise<ImportResult> {
    return this.run(actor, 'facilities', req, () => readFacilityFile(req.text, req.format), {
      check: (m, rows: Lined<FacilityImportRowDto>[]) => checkFacilityReferences(m, rows),
      apply: (m, rows, progress) => applyFacilities(m, rows, progress),
      after: async (m, rows) => ({ inEmergencyAreas: await sitesInEmergencyAreas(m, rows.map((r) => r.row.code)) }),
    });
  }

  importSquads(actor: AuthUser, req: ImportRequest): Promise<ImportResult> {
    return this.run(actor, 'squads', req, () => readSquadFile(req.text), {
      check: (m, rows: SquadPlan[]) => checkSquadReferences(m, rows),
      apply: (m, rows, progress) => applySquads(m, rows, progress),
    });
  }

  async recent(limit = 50) {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, kind, format, file_name AS "fileName", rows, created, updated, unchanged, areas_created AS "areasCreated",
              actor_name AS "by", at FROM imports ORDER BY at DESC LIMIT $1`,
      [limit],
    );
    return rows;
  }

  private async run<T>(
    actor: AuthUser,
    kind: ImportKind,
    req: ImportRequest,
    read: () => Promise<ReadFile<T>>,
    steps: {
      check: (m: EntityManager, rows: T[]) => Promise<RowError[]>;
      apply: (m: EntityManager, rows: T[], progress: Progress) => Promise<Applied>;
      after?: (m: EntityManager, rows: T[]) => Promise<Partial<ImportResult>>;
    },
  ): Promise<ImportResult> {
    const report = (phase: 'checking' | 'writing' | 'done' | 'failed', done: number, total: number) =>
      this.channel.importProgress(actor.id, { importId: req.importId, kind, phase, done, total });
    let total = 0;
    try {
      report('checking', 0, 0);
      const file = await read();
      total = file.total;
      if (file.errors.length) throw invalidRows(file.errors, file.total);
      const result = await this.dataSource.transaction(async (m) => {
        await m.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
        const [used] = await m.query('SELECT 1 FROM imports WHERE id = $1', [req.importId]);
        if (used) throw new DomainError('IMPORT.ID_USED', 'conflict', { id: req.importId });
        const problems = await steps.check(m, file.rows);
        if (problems.length) throw invalidRows(problems, file.total);
        report('writing', 0, total);
        // Progress in lines of the file, whatever the items are (a squad spans several lines).
        const toLines = (items: number) => Math.round((total * items) / Math.max(file.rows.length, 1));
        const applied = await steps.apply(m, file.rows, (items) => report('writing', toLines(items), total));
        const result: ImportResult = {
          importId: req.importId,
          kind,
          format: req.format,
          dryRun: !!req.dryRun,
          rows: total,
          created: applied.created,
          updated: applied.updated,
          unchanged: file.rows.length - applied.created - applied.updated,
          areasCreated: applied.areasCreated,
          ...(await steps.after?.(m, file.rows)),
        };
        if (req.dryRun) throw new DryRunFinished(result); // rolls everything back
        await this.record(m, actor, req, result);
        return result;
      });
      report('done', total, total);
      return result;
    } catch (e) {
      if (e instanceof DryRunFinished) {
        report('done', total, total);
        return e.result;
      }
      report('failed', 0, total);
      throw e;
    }
  }

  private async record(m: EntityManager, actor: AuthUser, req: ImportRequest, r: ImportResult): Promise<void> {
    const sha256 = createHash('sha256').update(req.text).digest('hex');
    await m.query(
      `INSERT INTO imports (id, kind, format, file_name, file_sha256, rows, created, updated, unchanged, areas_created, actor_id, actor_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [r.importId, r.kind, r.format, req.fileName ?? null, sha256, r.rows, r.created, r.updated, r.unchanged, r.areasCreated, actor.id, actor.username],
    );
    const { importId, kind, format, rows, created, updated, unchanged, areasCreated } = r;
    await this.events.append(m, {
      type: 'import.completed',
      audience: 'staff',
      actor,
      payload: { importId, kind, format, fileName: req.fileName ?? null, rows, created, updated, unchanged, areasCreated },
    });
  }
}
