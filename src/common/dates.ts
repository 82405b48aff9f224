import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy } from 'class-validator';

/**
 * One strict notion of a date for every DTO. class-validator's IsISO8601 passes what PostgreSQL then
 * refuses (2026-02-30, a 24:00 hour) or reads differently (week dates 2026-W05, ordinal 2026-123, a
 * bare year 2026), which ended as 500s. Here an instant is the calendar date and time of RFC 3339
 * (the ISO-8601 profile of the web) with an explicit offset, and a date is YYYY-MM-DD — each checked
 * against the calendar.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const realDay = (y: number, m: number, d: number) => y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);

/** `2026-12-01T09:00:00+08:00`, `2026-12-01T01:00:00.5Z`: a real day and time, with an offset. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, , oh, om] = m;
  return realDay(+y, +mo, +d) && +h <= 23 && +mi <= 59 && +(s ?? 0) <= 59 && +(oh ?? 0) <= 14 && +(om ?? 0) <= 59;
}

/** `2027-06-30`: a day of the calendar. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  return !!m && realDay(+m[1], +m[2], +m[3]);
}

const instantMessage = (field: string) => `${field} must be a real date and time with an offset, like 2026-12-01T09:00:00+08:00 or 2026-12-01T01:00:00Z`;
const dateMessage = (field: string) => `${field} must be a real calendar date like 2027-06-30`;

/** A required (or, with `optional`, optional) instant field: validated, and documented in OpenAPI. */
export const IsInstant = (field: string, opts: { optional?: boolean; example?: string; description?: string } = {}) =>
  applyDecorators(
    (opts.optional ? ApiPropertyOptional : ApiProperty)({ type: String, format: 'date-time', example: opts.example ?? '2026-12-01T09:00:00+08:00', description: opts.description }),
    ...(opts.optional ? [IsOptional()] : []),
    ValidateBy({ name: 'isInstant', validator: { validate: isInstant, defaultMessage: () => instantMessage(field) } }),
  );

/** A calendar date field (YYYY-MM-DD). */
export const IsCalendarDate = (field: string, opts: { optional?: boolean; example?: string; description?: string } = {}) =>
  applyDecorators(
    (opts.optional ? ApiPropertyOptional : ApiProperty)({ type: String, format: 'date', example: opts.example ?? '2027-06-30', description: opts.description }),
    ...(opts.optional ? [IsOptional()] : []),
    ValidateBy({ name: 'isCalendarDate', validator: { validate: isCalendarDate, defaultMessage: () => dateMessage(field) } }),
  );

