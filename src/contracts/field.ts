// Accountability in the field: site self-reports and capacity, 叫应 (roll calls), the outbox, check-ins.

/** What a site says of itself (POST /api/facilities/:id/reports). */
export const SITE_STATUSES = ['open', 'limited', 'full', 'closed'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

export interface NeedLine {
  itemCode: string;
  quantity: number;
}

/** One report of a site, as kept in its history. */
export interface SiteReportView {
  id: string;
  facilityId: string;
  status: SiteStatus;
  occupancy: number | null;
  capacity: number | null;
  needs: NeedLine[];
  note: string | null;
  by: string | null;
  at: string;
  /** The supply request its needs became (one line each), if it had needs. */
  supplyRequestIds: string[];
}

/** A line a site asked for, which the command center turns into a stock transfer. */
export interface SupplyRequestView {
  id: string;
  facilityId: string;
  facilityCode: string;
  reportId: string;
  itemCode: string;
  quantity: number;
  status: 'open' | 'fulfilled';
  transferId: string | null;
  createdAt: string;
  fulfilledAt: string | null;
}

/** One row of GET /api/capacity: only sites whose last report is open, limited or full count. */
export interface CapacityRow {
  openSites: number;
  capacity: number;
  occupancy: number;
  free: number;
}
export interface CapacityView {
  areas: (CapacityRow & { code: string })[];
  city: CapacityRow;
}

/** A site a manager looks after (GET /api/me/sites). */
export interface ManagedSiteView {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  type: string;
  areaCode: string;
  mode: string;
  status: SiteStatus | null;
  capacity: number;
  occupancy: number;
  reportedAt: string | null;
}

/** Who a round asks: managers of sites (listed or in areas), leaders of squads, or every user of roles. */
export interface RollCallAudience {
  facilityIds?: string[];
  areas?: string[];
  squadIds?: string[];
  roles?: string[];
}

export interface RollCallEntryView {
  userId: string;
  username: string;
  role: string;
  answeredAt?: string;
  /** `app` (the phone view) or `reply` (a reply code through the outbound port). */
  answeredVia?: 'app' | 'reply';
  note?: string;
  escalatedAt?: string;
  resentAt?: string;
  /** The sites a manager looks after, or the squad a leader leads: where they are. */
  sites: { id: string; code: string; name: string }[];
  squadCode?: string;
}

/** Who started a round: a person, a switchover (its sites' managers), or a plan activation (its standby squads). */
export type RollCallSource = 'manual' | 'switchover' | 'plan';

export interface RollCallView {
  id: string;
  message: string;
  audience: RollCallAudience;
  exercise: boolean;
  source: RollCallSource;
  switchoverId: string | null;
  answerWithinMinutes: number;
  deadline: string;
  createdAt: string;
  createdBy: string | null;
  total: number;
  answered: number;
  /** Staff see every entry; an addressee sees their own. */
  entries: RollCallEntryView[];
}

/** What the outbound message port sent, or would have (GET /api/outbox). */
export interface OutboxMessageView {
  id: string;
  channel: 'sms' | 'voice';
  recipientUserId: string | null;
  /** `user:<username>`: the gateway driver resolves the address from its own directory. */
  recipient: string;
  body: string;
  replyCode: string | null;
  topic: 'roll_call' | 'roll_call.resend' | 'dispatch';
  refId: string | null;
  exercise: boolean;
  createdAt: string;
  sentAt: string | null;
  driver: string | null;
  attempts: number;
  lastError: string | null;
}

/** POST /api/dispatches/:id/check-in → the timer as it now is. */
export interface CheckInView {
  dispatchId: string;
  checkedInAt: string;
  nextDueAt: string;
  intervalMinutes: number;
}
