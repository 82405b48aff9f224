import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { type CsvRecord, csvRecords, CsvSyntaxError, unneutraliseCell } from '../common/csv.js';
import { pacer } from '../common/pacing.js';
import { DomainError } from '../common/domain-error.js';
import { issuesOf } from '../common/validation.js';
import type { RowProblem as RowError } from '../common/domain-error.js';
import { rowText } from '../common/messages/rows.js';

/** One row of an uploaded file, before validation: its line in the file and its named values. */
export interface RawRow {
  line: number;
  values: Record<string, unknown>;
}

/** At most this many row errors go back to the client; a count says how many more there were. */
const MAX_REPORTED_ROW_ERRORS = 500;

/** The 400 for a file with bad rows: nothing was applied, and every bad line is named. */
export function invalidRows(errors: RowError[], rowCount: number): DomainError {
  const lines = new Set(errors.map((e) => e.line)).size;
  const more = errors.length > MAX_REPORTED_ROW_ERRORS ? ` (the first ${MAX_REPORTED_ROW_ERRORS} problems are listed)` : '';
  return new DomainError(
    'IMPORT.INVALID_ROWS',
    'invalid',
    { lines, total: rowCount, more: more ? MAX_REPORTED_ROW_ERRORS : undefined },
    { rows: [...errors].sort((a, b) => a.line - b.line).slice(0, MAX_REPORTED_ROW_ERRORS) },
  );
}

/**
 * A CSV file whose first line names the columns → one RawRow per line. Every column must be one of
 * `columns` (a misspelt header would otherwise silently drop a field); `required` ones must be there.
 * Empty cells are left out, so optional fields stay unset.
 */
export async function readCsvRows(text: string, columns: readonly string[], required: readonly string[]): Promise<RawRow[]> {
  // Parsed and read a slice at a time (pacer): a 20,000-line file must not hold the event loop.
  const pause = pacer();
  const records: CsvRecord[] = [];
  try {
    for (const record of csvRecords(text)) {
      records.push(record);
      await pause();
    }
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new DomainError('IMPORT.BAD_CSV', 'invalid', { detail: e.message });
    throw e;
  }
  // Notes before the header (a template's lists of allowed codes): lines whose first cell starts with #.
  const notes = records.findIndex((r) => !(r.fields[0] ?? '').trimStart().startsWith('#'));
  const [header, ...body] = notes < 0 ? [] : records.slice(notes);
  if (!header) throw new DomainError('IMPORT.EMPTY_FILE', 'invalid', {});
  const names = header.fields.map((f) => f.trim());
  const unknown = names.filter((n) => !columns.includes(n));
  const missing = required.filter((n) => !names.includes(n));
  if (unknown.length || missing.length) {
    throw new DomainError('IMPORT.BAD_HEADER', 'invalid', { unknown: unknown.map((n) => `"${n}"`).join(', ') || undefined, missing: missing.join(', ') || undefined, columns: columns.join(', ') });
  }
  if (!body.length) throw new DomainError('IMPORT.EMPTY_FILE', 'invalid', { reason: 'no_rows' });
  const rows: RawRow[] = [];
  for (const { line, fields } of body) {
    const values: Record<string, unknown> = {};
    names.forEach((name, i) => {
      // An export neutralised formula-like text with a leading quote: read back what was stored.
      const cell = unneutraliseCell(fields[i] ?? '').trim();
      if (cell !== '') values[name] = cell;
    });
    if (fields.length > names.length) values.__extraCells = fields.length - names.length;
    rows.push({ line, values });
    await pause();
  }
  return rows;
}

/**
 * Validates each row against a DTO class (the same class-validator rules as the API), returning the
 * valid instances with their lines and a RowError per problem; a slice at a time (pacer), so a large
 * file does not hold the event loop. `coerce` turns CSV text into the
 * types the DTO expects first (numbers, lists, booleans).
 */
export async function validateRows<T extends object>(
  type: new () => T,
  rows: RawRow[],
  coerce: (values: Record<string, unknown>) => Record<string, unknown> = (v) => v,
): Promise<{ valid: { line: number; row: T }[]; errors: RowError[] }> {
  const valid: { line: number; row: T }[] = [];
  const errors: RowError[] = [];
  const pause = pacer();
  for (const { line, values } of rows) {
    await pause();
    const { __extraCells: extra, ...rest } = values;
    if (extra) errors.push({ line, ...rowText('extraCells', { count: String(extra) }) });
    const instance = plainToInstance(type, coerce(rest));
    // Unknown fields are stripped, not refused: CSV headers are checked already, and GeoJSON from other
    // systems often carries extra properties.
    const problems = await validate(instance, { whitelist: true });
    if (problems.length) errors.push(...rowErrorsOf(line, problems));
    else if (!extra) valid.push({ line, row: instance });
  }
  return { valid, errors };
}

function rowErrorsOf(line: number, problems: ValidationError[]): RowError[] {
  const issues = issuesOf(problems);
  if (!issues.length) return problems.map((p) => ({ line, field: p.property, ...rowText('invalid', { field: p.property }) }));
  return issues.map((issue) => ({ line, field: issue.field.split('.')[0], message: issue.en, issue }));
}

/** "a; b;c" → ['a', 'b', 'c'] (lists in a CSV cell are separated by semicolons). */
export const splitList = (v: unknown) =>
  typeof v === 'string'
    ? v
        .split(/[;；]/)
        .map((s) => s.trim())
        .filter(Boolean)
    : v;

/** A CSV cell holding a number, as a number; anything else is left for the validator to name. */
export const toNumber = (v: unknown) => (typeof v === 'string' && /^[-+]?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

const TRUE = new Set(['true', 'yes', 'y', '1', '是']);
const FALSE = new Set(['false', 'no', 'n', '0', '否']);
export const toBoolean = (v: unknown) => {
  if (typeof v !== 'string') return v;
  const s = v.toLowerCase();
  return TRUE.has(s) ? true : FALSE.has(s) ? false : v;
};
