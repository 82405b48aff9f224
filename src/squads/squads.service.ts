import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { assertActsForSquad } from '../auth/ownership.js';
import { DomainError } from '../common/domain-error.js';
import { hasIdempotencyKey, idempotentTransaction } from '../common/idempotency.interceptor.js';
import { EventsService } from '../events/events.service.js';
import { type Position, PositionWriter } from './position-writer.js';
import { SQUAD_COLUMNS, type SquadRow, toSquadView } from './squad-types.js';
import { assertManualSquadStatus, changeSquadStatus, lockSquads } from './squad-status.js';
import type { SquadDetailView, SquadStatus, SquadView } from '../contracts/squads.js';

/** Members' personal data: commanders, and the squad's own leader. */
export function mayReadPersonalData(user: Pick<AuthUser, 'role' | 'squadId'>, squadId: string): boolean {
  return user.role === 'commander' || (user.role === 'squad_leader' && user.squadId === squadId);
}

@Injectable()
export class SquadsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly positions: PositionWriter,
  ) {}

  async list(filter: { status?: SquadStatus; area?: string }): Promise<SquadView[]> {
    const rows: SquadRow[] = await this.dataSource.query(
      `SELECT ${SQUAD_COLUMNS}, (SELECT count(*) FROM squad_members m WHERE m.squad_id = squads.id) AS members,
              (SELECT json_build_object('lat', f.lat, 'lng', f.lng) FROM facilities f WHERE f.id = squads.base_facility_id) AS base
       FROM squads WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR area_code = $2) ORDER BY code`,
      [filter.status ?? null, filter.area ?? null],
    );
    return rows.map(toSquadView);
  }

  /**
   * One squad with its members. Members' personal data (name, phone, party membership) goes only to
   * commanders and the squad's own leader; everyone else sees who leads and what skills there are.
   */
  async get(user: Pick<AuthUser, 'role' | 'squadId'>, id: string): Promise<SquadDetailView> {
    const [row]: SquadRow[] = await this.dataSource.query(`SELECT ${SQUAD_COLUMNS} FROM squads WHERE id = $1`, [id]);
    if (!row) throw new DomainError('SQUAD.NOT_FOUND', 'not_found', { id });
    const members: { id: string; name: string; phone: string | null; party_member: boolean; is_leader: boolean; skills: string[] }[] =
      await this.dataSource.query('SELECT id, name, phone, party_member, is_leader, skills FROM squad_members WHERE squad_id = $1 ORDER BY is_leader DESC, name', [id]);
    if (mayReadPersonalData(user, id)) {
      return {
        ...toSquadView(row),
        personalData: true,
        members: members.map((m) => ({ id: m.id, name: m.name, phone: m.phone, partyMember: m.party_member, isLeader: m.is_leader, skills: m.skills })),
      };
    }
    return { ...toSquadView(row), personalData: false, members: members.map((m) => ({ id: m.id, isLeader: m.is_leader, skills: m.skills })) };
  }

  /**
   * The leader's phone gained its first socket or lost its last one (the realtime gateway tells): kept on
   * the squad and announced to staff as `squad.phone`, only when it changes.
   */
  async phonePresence(squadId: string, online: boolean): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const [row]: { code: string }[] = await m.query(
        `UPDATE squads SET phone_online = $2, phone_changed_at = now() WHERE id = $1 AND phone_online IS DISTINCT FROM $2 RETURNING code`,
        [squadId, online],
      );
      if (row) await this.events.append(m, { type: 'squad.phone', audience: 'staff', squadId, payload: { code: row.code, online } });
    });
  }

  /** The leader (or the command center) sets the squad's status by hand, where no dispatch drives it. */
  async setStatus(user: AuthUser, id: string, to: SquadStatus): Promise<SquadView> {
    assertActsForSquad(user, id, { commanderToo: true });
    return idempotentTransaction(this.dataSource, async (m) => {
      const [squad] = await lockSquads(m, [id]);
      if (!squad) throw new DomainError('SQUAD.NOT_FOUND', 'not_found', { id });
      assertManualSquadStatus(squad.status, to);
      const events = await changeSquadStatus(m, user, [squad], to);
      const [row]: SquadRow[] = await m.query(`SELECT ${SQUAD_COLUMNS} FROM squads WHERE id = $1`, [id]);
      await this.events.append(m, events);
      return toSquadView(row);
    });
  }

  /**
   * The last known position. Written at once; the squad.position events that announce positions are
   * coalesced by PositionBroadcaster, so a thousand reports a second do not flood the dashboards.
   */
  async reportPosition(user: AuthUser, id: string, p: Position): Promise<{ ok: true; at: string }> {
    assertActsForSquad(user, id, { commanderToo: false });
    // A report with an Idempotency-Key (a phone's queued report) is written with its key, in one transaction;
    // the others go through the batching writer.
    if (hasIdempotencyKey()) {
      return idempotentTransaction(this.dataSource, async (m) => ({ ok: true as const, at: (await this.positions.writeIn(m, id, p)).toISOString() }));
    }
    const at = await this.positions.write(id, p);
    return { ok: true, at: at.toISOString() };
  }
}
