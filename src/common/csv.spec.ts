import { CsvSyntaxError, neutraliseCell, parseCsv, parseCsvRecords, toCsv, unneutraliseCell, withBom } from './csv.js';

describe('CSV', () => {
  it('writes CSV that parses back to the same rows: commas, quotes, line breaks, Chinese', () => {
    const rows = [
      ['标题', 'kind', 'note'],
      ['祥芝镇"台风"演练, 第一场', 'drill', 'line one\nline two'],
      ['蚶江镇防汛培训', 'training', ''],
      ['with "quotes" only', 'drill', 'emoji 🌀'],
    ];
    const csv = toCsv(rows);
    expect(csv).toContain('"祥芝镇""台风""演练, 第一场"');
    expect(parseCsv(withBom(csv))).toEqual(rows);
  });

  it('numbers records by the line they start on, across quoted line breaks and blank lines', () => {
    const text = 'code,note\r\nA,"two\nlines"\n\nB,plain\nC,x';
    expect(parseCsvRecords(text)).toEqual([
      { line: 1, fields: ['code', 'note'] },
      { line: 2, fields: ['A', 'two\nlines'] },
      { line: 5, fields: ['B', 'plain'] },
      { line: 6, fields: ['C', 'x'] },
    ]);
  });

  it('names the line of a quote that is never closed', () => {
    let caught: unknown;
    try {
      parseCsvRecords('a,b\n1,2\n3,"open\n4,5\n');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    expect(caught).toMatchObject({ line: 3 });
  });

  it('neutralises text cells a spreadsheet would run as formulas, not numbers, and reversibly', () => {
    const csv = toCsv([['=1+1', '+86 138', '-x', '@SUM(A1)', '\tx', '\rx', "'=x", 'a=b', -24.5, 3, true, null]]);
    expect(parseCsv(csv)).toEqual([["'=1+1", "'+86 138", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "''=x", 'a=b', '-24.5', '3', 'true', '']]);
    for (const text of ['=1+1', '+86 138', '-x', '@a', '\tx', '\rx', "'=x", "''@x", "'plain", 'plain', '-', "'"]) {
      expect(unneutraliseCell(neutraliseCell(text))).toBe(text);
    }
  });
});
