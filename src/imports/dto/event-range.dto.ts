import { IsInstant } from '../../common/dates.js';

export class EventRangeQuery {
  @IsInstant('from', { example: '2026-11-01T00:00:00+08:00', description: 'From this instant (inclusive)' })
  from: string;

  @IsInstant('to', { optional: true, example: '2026-12-01T00:00:00+08:00', description: 'Up to this instant (exclusive); default now' })
  to?: string;
}
