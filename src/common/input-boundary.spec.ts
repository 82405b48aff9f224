import { inspectInput, MAX_DEPTH, textProblem } from './input-boundary.js';

const nest = (depth: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('the input boundary', () => {
  it('keeps ordinary text: Chinese, emoji (surrogate pairs), line breaks and tabs', () => {
    expect(textProblem('祥芝镇 🌀\n第二行\r\n\tend')).toBeUndefined();
  });

  it('names control characters and lone surrogates', () => {
    expect(textProblem('a\u0000b')).toMatch(/control characters \(found U\+0000\)/);
    expect(textProblem('a\u001Bb')).toMatch(/U\+001B/);
    expect(textProblem('a\u007F')).toMatch(/U\+007F/);
    for (const lone of ['\uD800', 'a\uDBFFb', '\uDC00', 'x\uDFFF\uD83C']) expect(textProblem(lone)).toMatch(/lone UTF-16 surrogate/);
  });

  it('finds bad text anywhere, keys included, and says where', () => {
    expect(inspectInput({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, 'The request body')?.message).toMatch(/^a\[1\]\.c must not contain/);
    expect(inspectInput({ ok: { 'bad\u0000key': 1 } }, 'The request body')?.message).toMatch(/^a field name in ok must not contain/);
    expect(inspectInput('a\u0000b', 'The uploaded file')?.message).toMatch(/^The uploaded file must not contain/);
    expect(inspectInput({ a: 1, b: [true, null, 'fine'] }, 'The request body')).toBeUndefined();
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels without recursing (100,000 levels)`, () => {
    expect(inspectInput(nest(MAX_DEPTH), 'The request body')).toBeUndefined();
    expect(inspectInput(nest(MAX_DEPTH + 1), 'The request body')).toMatchObject({ code: 'REQUEST.TOO_DEEP' });
    expect(inspectInput(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 'The message')).toMatchObject({ code: 'REQUEST.TOO_DEEP' });
  });
});
