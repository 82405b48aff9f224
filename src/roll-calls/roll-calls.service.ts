import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { OutboxService } from '../outbound/outbox.service.js';
import type { Role } from '../contracts/auth.js';
import type { RollCallAudience, RollCallEntryView, RollCallSource, RollCallView } from '../contracts/field.js';

export interface NewRollCall {
  message: string;
  audience: RollCallAudience;
  answerWithinSeconds: number;
  exercise: boolean;
  source: RollCallSource;
  switchoverId?: string;
}

const STAFF: Role[] = ['commander', 'coordinator', 'viewer'];
const isStaff = (user: AuthUser) => STAFF.includes(user.role);

/** "14:05" in the city's time: what an SMS says. */
const clock = (d: Date) => d.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

interface RollCallRow {
  id: string;
  message: string;
  audience: RollCallAudience;
  exercise: boolean;
  source: RollCallSource;
  switchover_id: string | null;
  answer_within_seconds: number;
  deadline: Date;
  created_at: Date;
  created_by_name: string | null;
  total: number;
  answered: number;
}

interface EntryRow {
  roll_call_id: string;
  user_id: string;
  username: string;
  role: Role;
  answered_at: Date | null;
  answered_via: 'app' | 'reply' | null;
  note: string | null;
  escalated_at: Date | null;
  resent_at: Date | null;
  squad_code: string | null;
  sites: { id: string; code: string; name: string }[] | null;
}

const ROLL_CALL_SELECT = `SELECT r.id, r.message, r.audience, r.exercise, r.source, r.switchover_id, r.answer_within_seconds, r.deadline, r.created_at,
    r.created_by_name,
    (SELECT count(*)::int FROM roll_call_entries e WHERE e.roll_call_id = r.id) AS total,
    (SELECT count(*)::int FROM roll_call_entries e WHERE e.roll_call_id = r.id AND e.answered_at IS NOT NULL) AS answered
  FROM roll_calls r`;

const ENTRY_SELECT = `SELECT e.roll_call_id, e.user_id, e.username, u.role, e.answered_at, e.answered_via, e.note, e.escalated_at, e.resent_at,
    s.code AS squad_code,
    (SELECT json_agg(json_build_object('id', f.id, 'code', f.code, 'name', f.name) ORDER BY f.code)
       FROM user_facilities uf JOIN facilities f ON f.id = uf.facility_id WHERE uf.user_id = e.user_id) AS sites
  FROM roll_call_entries e JOIN users u ON u.id = e.user_id LEFT JOIN squads s ON s.id = u.squad_id`;

function toEntry(e: EntryRow): RollCallEntryView {
  const v: RollCallEntryView = { userId: e.user_id, username: e.username, role: e.role, sites: e.sites ?? [] };
  if (e.answered_at) v.answeredAt = new Date(e.answered_at).toISOString();
  if (e.answered_via) v.answeredVia = e.answered_via;
  if (e.note) v.note = e.note;
  if (e.escalated_at) v.escalatedAt = new Date(e.escalated_at).toISOString();
  if (e.resent_at) v.resentAt = new Date(e.resent_at).toISOString();
  if (e.squad_code) v.squadCode = e.squad_code;
  return v;
}

function toView(r: RollCallRow, entries: EntryRow[]): RollCallView {
  return {
    id: r.id,
    message: r.message,
    audience: r.audience,
    exercise: r.exercise,
    source: r.source,
    switchoverId: r.switchover_id,
    answerWithinMinutes: Math.round((r.answer_within_seconds / 60) * 100) / 100,
    deadline: new Date(r.deadline).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by_name,
    total: r.total,
    answered: r.answered,
    entries: entries.map(toEntry),
  };
}

/**
 * 叫应: a round names its duty-holders; each must answer before the deadline (in the app or with the
 * reply code of their SMS); whoever has not is escalated by RollCallSweeper. Every step is an event in
 * the step's own transaction, and every message to a person goes through the outbox.
 */
@Injectable()
export class RollCallsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly outbox: OutboxService,
  ) {}

  /** POST /api/roll-calls: commanders; coordinators only exercise rounds. */
  start(actor: AuthUser, input: Omit<NewRollCall, 'source' | 'switchoverId'>): Promise<RollCallView> {
    if (actor.role === 'coordinator' && !input.exercise) {
      throw new DomainError('ROLL_CALL.EXERCISE_ONLY', 'forbidden', {});
    }
    const a = input.audience;
    if (!a.facilityIds?.length && !a.areas?.length && !a.squadIds?.length && !a.roles?.length) {
      throw new DomainError('ROLL_CALL.EMPTY_AUDIENCE', 'invalid', {});
    }
    return this.dataSource.transaction(async (m) => {
      await this.assertKnownAudience(m, a);
      const started = await this.startIn(m, actor, { ...input, source: 'manual' });
      if (!started) throw new DomainError('ROLL_CALL.NO_ADDRESSEES', 'conflict', {});
      await this.events.append(m, started.events);
      return this.read(m, actor, started.id);
    });
  }

  /**
   * Inside the caller's transaction (a switchover's too): the round, one entry per addressee, one message
   * each in the outbox. Returns its events for the caller to append, or null when nobody matched.
   */
  async startIn(m: EntityManager, actor: Pick<AuthUser, 'id' | 'username'> | null, input: NewRollCall): Promise<{ id: string; events: NewEvent[] } | null> {
    const a = input.audience;
    const addressees: { id: string; username: string }[] = await m.query(
      `SELECT u.id, u.username FROM users u
       WHERE u.disabled_at IS NULL AND (
         (u.role = 'site_manager' AND EXISTS (SELECT 1 FROM user_facilities uf JOIN facilities f ON f.id = uf.facility_id
                                             WHERE uf.user_id = u.id AND (f.id = ANY($1::uuid[]) OR f.area_code = ANY($2::text[]))))
         OR (u.role = 'squad_leader' AND u.squad_id = ANY($3::uuid[]))
         OR u.role = ANY($4::text[]))
       ORDER BY u.username`,
      [a.facilityIds ?? [], a.areas ?? [], a.squadIds ?? [], a.roles ?? []],
    );
    if (!addressees.length) return null;
    const [round]: { id: string; deadline: Date }[] = await m.query(
      `INSERT INTO roll_calls (message, audience, exercise, source, switchover_id, answer_within_seconds, deadline, created_by, created_by_name)
       VALUES ($1, $2, $3, $4, $5, $6::int, now() + make_interval(secs => $6::int), $7, $8) RETURNING id, deadline`,
      [input.message, JSON.stringify(a), input.exercise, input.source, input.switchoverId ?? null, input.answerWithinSeconds, actor?.id ?? null, actor?.username ?? null],
    );
    const entries: { user_id: string; username: string; reply_code: string }[] = await m.query(
      `INSERT INTO roll_call_entries (roll_call_id, user_id, username, reply_code)
       SELECT $1, t.id, t.username, upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 8))
       FROM unnest($2::uuid[], $3::text[]) AS t(id, username)
       RETURNING user_id, username, reply_code`,
      [round.id, addressees.map((x) => x.id), addressees.map((x) => x.username)],
    );
    const deadline = new Date(round.deadline);
    await this.outbox.enqueue(
      m,
      entries.map((e) => ({
        userId: e.user_id,
        username: e.username,
        body: `【叫应】${input.message}（请于${clock(deadline)}前在平急应用点“收到”，或回复 ${e.reply_code}）`,
        replyCode: e.reply_code,
        topic: 'roll_call' as const,
        refId: round.id,
        exercise: input.exercise,
      })),
    );
    return {
      id: round.id,
      events: [
        {
          type: 'roll_call.started',
          audience: 'everyone',
          exercise: input.exercise,
          actor,
          payload: { rollCallId: round.id, message: input.message, deadline: deadline.toISOString(), total: entries.length, source: input.source },
        },
      ],
    };
  }

  /** Staff see every round; anyone else the rounds that ask them. `open`: someone (for them: they) still to answer. */
  async list(user: AuthUser, open?: boolean): Promise<RollCallView[]> {
    const staff = isStaff(user);
    const rows: RollCallRow[] = await this.dataSource.query(
      `${ROLL_CALL_SELECT}
       WHERE ($1::boolean OR EXISTS (SELECT 1 FROM roll_call_entries e WHERE e.roll_call_id = r.id AND e.user_id = $2))
         AND (NOT $3::boolean OR EXISTS (SELECT 1 FROM roll_call_entries e WHERE e.roll_call_id = r.id AND e.answered_at IS NULL
                                        AND ($1::boolean OR e.user_id = $2)))
       ORDER BY r.created_at DESC, r.id LIMIT 200`,
      [staff, user.id, !!open],
    );
    if (!rows.length) return [];
    const entries: EntryRow[] = await this.dataSource.query(
      `${ENTRY_SELECT} WHERE e.roll_call_id = ANY($1::uuid[]) AND ($2::boolean OR e.user_id = $3) ORDER BY e.username`,
      [rows.map((r) => r.id), staff, user.id],
    );
    return rows.map((r) => toView(r, entries.filter((e) => e.roll_call_id === r.id)));
  }

  get(user: AuthUser, id: string): Promise<RollCallView> {
    return this.read(this.dataSource.manager, user, id);
  }

  /** The addressee's answer: once; asking again returns the round as it is (idempotent). */
  answer(user: AuthUser, id: string, note: string | undefined): Promise<RollCallView> {
    return this.dataSource.transaction(async (m) => {
      const [entry]: { user_id: string }[] = await m.query('SELECT user_id FROM roll_call_entries WHERE roll_call_id = $1 AND user_id = $2', [id, user.id]);
      if (!entry) {
        const [round]: unknown[] = await m.query('SELECT 1 FROM roll_calls WHERE id = $1', [id]);
        if (!round) throw new DomainError('ROLL_CALL.NOT_FOUND', 'not_found', { id });
        throw new DomainError('ROLL_CALL.NOT_ADDRESSEE', 'forbidden', {});
      }
      await this.answerIn(m, id, user, note, 'app');
      return this.read(m, user, id);
    });
  }

  /**
   * The inbound hook of the outbound port: a reply code that came back (SMS reply, voice keypad) is taken
   * as that person's answer, exactly like one in the app.
   */
  answerByReplyCode(replyCode: string, note: string | undefined): Promise<{ rollCallId: string; username: string; answeredAt: string }> {
    return this.dataSource.transaction(async (m) => {
      const [entry]: { roll_call_id: string; user_id: string; username: string }[] = await m.query(
        'SELECT roll_call_id, user_id, username FROM roll_call_entries WHERE reply_code = $1',
        [replyCode.trim().toUpperCase()],
      );
      if (!entry) throw new DomainError('ROLL_CALL.UNKNOWN_REPLY_CODE', 'not_found', {});
      const answeredAt = await this.answerIn(m, entry.roll_call_id, { id: entry.user_id, username: entry.username }, note, 'reply');
      return { rollCallId: entry.roll_call_id, username: entry.username, answeredAt };
    });
  }

  /** Marks the entry answered if it was not; the event only for the first answer. */
  private async answerIn(m: EntityManager, id: string, who: Pick<AuthUser, 'id' | 'username'>, note: string | undefined, via: 'app' | 'reply'): Promise<string> {
    const done = rowsOf<{ answered_at: Date; escalated_at: Date | null }>(
      await m.query(
        `UPDATE roll_call_entries SET answered_at = now(), answered_via = $3, note = $4
         WHERE roll_call_id = $1 AND user_id = $2 AND answered_at IS NULL RETURNING answered_at, escalated_at`,
        [id, who.id, via, note ?? null],
      ),
    );
    if (!done.length) {
      const [was]: { answered_at: Date }[] = await m.query('SELECT answered_at FROM roll_call_entries WHERE roll_call_id = $1 AND user_id = $2', [id, who.id]);
      return new Date(was.answered_at).toISOString();
    }
    const [r]: RollCallRow[] = await m.query(`${ROLL_CALL_SELECT} WHERE r.id = $1`, [id]);
    await this.events.append(m, {
      type: 'roll_call.answered',
      audience: 'staff',
      exercise: r.exercise,
      actor: who,
      payload: {
        rollCallId: id,
        userId: who.id,
        username: who.username,
        via,
        answered: r.answered,
        total: r.total,
        late: new Date(done[0].answered_at) > new Date(r.deadline),
      },
    });
    return new Date(done[0].answered_at).toISOString();
  }

  /**
   * The sweep (RollCallSweeper, under its advisory lock): every entry past its round's deadline, still
   * unanswered and not yet escalated, is escalated once — one warning alert per round to the command
   * center naming who, what and where, and the message sent to each once more.
   */
  async escalateDue(m: EntityManager): Promise<void> {
    const due = rowsOf<{ roll_call_id: string; user_id: string; username: string; reply_code: string }>(
      await m.query(
        `UPDATE roll_call_entries e SET escalated_at = now(), resent_at = now()
         FROM roll_calls r
         WHERE r.id = e.roll_call_id AND r.deadline <= now() AND e.answered_at IS NULL AND e.escalated_at IS NULL
         RETURNING e.roll_call_id, e.user_id, e.username, e.reply_code`,
      ),
    );
    if (!due.length) return;
    const roundIds = [...new Set(due.map((d) => d.roll_call_id))].sort();
    const rounds: RollCallRow[] = await m.query(`${ROLL_CALL_SELECT} WHERE r.id = ANY($1::uuid[]) ORDER BY r.id`, [roundIds]);
    const entries: EntryRow[] = await m.query(`${ENTRY_SELECT} WHERE e.roll_call_id = ANY($1::uuid[]) ORDER BY e.username`, [roundIds]);
    const events: NewEvent[] = [];
    for (const r of rounds) {
      const mine = due.filter((d) => d.roll_call_id === r.id);
      const ids = new Set(mine.map((d) => d.user_id));
      const unanswered = entries
        .filter((e) => e.roll_call_id === r.id && ids.has(e.user_id))
        .map((e) => ({ userId: e.user_id, username: e.username, role: e.role, sites: (e.sites ?? []).map((s) => ({ code: s.code, name: s.name })), squadCode: e.squad_code }));
      await this.outbox.enqueue(
        m,
        mine.map((d) => ({
          userId: d.user_id,
          username: d.username,
          body: `【再次叫应】${r.message}（已超时未应答，已报告指挥中心。请立即点“收到”或回复 ${d.reply_code}）`,
          replyCode: d.reply_code,
          topic: 'roll_call.resend' as const,
          refId: r.id,
          exercise: r.exercise,
        })),
      );
      events.push({
        type: 'roll_call.escalated',
        severity: 'warning',
        audience: 'staff',
        exercise: r.exercise,
        payload: { rollCallId: r.id, message: r.message, deadline: new Date(r.deadline).toISOString(), total: r.total, unanswered },
      });
    }
    await this.events.append(m, events);
  }

  private async read(m: EntityManager, user: AuthUser, id: string): Promise<RollCallView> {
    const [r]: RollCallRow[] = await m.query(`${ROLL_CALL_SELECT} WHERE r.id = $1`, [id]);
    const staff = isStaff(user);
    const entries: EntryRow[] = r ? await m.query(`${ENTRY_SELECT} WHERE e.roll_call_id = $1 AND ($2::boolean OR e.user_id = $3) ORDER BY e.username`, [id, staff, user.id]) : [];
    if (!r || (!staff && !entries.length)) throw new DomainError('ROLL_CALL.NOT_FOUND', 'not_found', { id });
    return toView(r, entries);
  }

  private async assertKnownAudience(m: EntityManager, a: RollCallAudience): Promise<void> {
    if (a.areas?.length) {
      const known: { code: string }[] = await m.query('SELECT code FROM areas WHERE code = ANY($1::text[])', [a.areas]);
      const unknown = a.areas.filter((c) => !known.some((k) => k.code === c));
      if (unknown.length) throw new DomainError('ROLL_CALL.UNKNOWN_AREA', 'invalid', { areas: unknown.join(', ') });
    }
    if (a.facilityIds?.length) {
      const [{ n }]: { n: number }[] = await m.query('SELECT count(*)::int AS n FROM facilities WHERE id = ANY($1::uuid[])', [a.facilityIds]);
      if (n !== new Set(a.facilityIds).size) throw new DomainError('FACILITY.NOT_FOUND', 'not_found', 'Not every audience.facilityIds entry is a site.');
    }
    if (a.squadIds?.length) {
      const [{ n }]: { n: number }[] = await m.query('SELECT count(*)::int AS n FROM squads WHERE id = ANY($1::uuid[])', [a.squadIds]);
      if (n !== new Set(a.squadIds).size) throw new DomainError('SQUAD.NOT_FOUND', 'not_found', 'Not every audience.squadIds entry is a squad.');
    }
  }
}
