// Text a spreadsheet would read as a formula (OWASP "CSV injection"): = + - @, tab or CR first — after
// any quotes we added before, so that neutralising stays reversible ('=x and =x both round-trip).
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet would run as a formula gets a single quote in front, as OWASP recommends.
 * Only text: numbers (a negative latitude) stay numbers.
 */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** What an importer reads back from a cell neutraliseCell wrote: the added quote removed. */
export function unneutraliseCell(text: string): string {
  return NEUTRALISED.test(text) ? text.slice(1) : text;
}

/**
 * RFC 4180 CSV: every field quoted when it holds a comma, quote or line break; CRLF line ends. Text
 * cells that would be a spreadsheet formula are neutralised (neutraliseCell).
 */
export function toCsv(rows: (string | number | boolean | null | undefined)[][]): string {
  const field = (v: string | number | boolean | null | undefined) => {
    const s = v === null || v === undefined ? '' : typeof v === 'string' ? neutraliseCell(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** A byte-order mark first: Excel then reads UTF-8 (Chinese names) correctly. */
export const withBom = (csv: string) => '\uFEFF' + csv;

/** One record of a CSV file and the line of the file it starts on (1-based, counting the header). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks), keeping the line
 * each record starts on so errors can name it. A leading byte-order mark and blank lines are skipped;
 * an unterminated quote is a CsvSyntaxError naming the line where it opened.
 */
export function parseCsvRecords(input: string): CsvRecord[] {
  return [...csvRecords(input)];
}

/** parseCsvRecords one record at a time, so a caller can pause between records (large uploads). */
export function* csvRecords(input: string): Generator<CsvRecord, void, undefined> {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const ready: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let quoteLine = 0;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') ready.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    if (ready.length) yield* ready.splice(0);
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, `line ${quoteLine}: a quoted field is never closed (a missing ")`);
  if (field || fields.length) endRecord();
  yield* ready;
}

/** The same parser when line numbers are not needed (tests reading an export back). */
export const parseCsv = (text: string): string[][] => parseCsvRecords(text).map((r) => r.fields);
