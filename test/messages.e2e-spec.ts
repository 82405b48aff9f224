import request from 'supertest';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/**
 * The server's texts in the reader's language: Chinese by default, English with Accept-Language: en;
 * the code the same in both.
 */
describe('error messages in the language asked for (e2e)', () => {
  let app: TestApp;
  let commander: string;
  const HAN = /\p{Script=Han}/u;

  beforeAll(async () => {
    app = await startTestApp();
    commander = await app.login('commander');
  });
  afterAll(async () => {
    await app.close();
  });

  // Plain supertest: no Accept-Language unless the test sets one.
  const plain = () => request(app.url);

  it('wrong credentials: Chinese by default, English on request, the same code', async () => {
    const zh = await plain().post('/api/auth/login').send({ username: 'commander', password: 'nope-nope' });
    const en = await plain().post('/api/auth/login').set('Accept-Language', 'en-US,en;q=0.9').send({ username: 'commander', password: 'nope-nope' });
    const fr = await plain().post('/api/auth/login').set('Accept-Language', 'fr-FR').send({ username: 'commander', password: 'nope-nope' });
    expect(zh.body).toEqual({ statusCode: 401, code: 'AUTH.INVALID_CREDENTIALS', message: '用户名或密码错误。' });
    expect(en.body).toEqual({ statusCode: 401, code: 'AUTH.INVALID_CREDENTIALS', message: 'Wrong username or password.' });
    expect(fr.body.message).toBe('用户名或密码错误。');
    expect(zh.headers.vary).toMatch(/Accept-Language/i);
  });

  it('validation errors: each field and rule, in the language asked for', async () => {
    const send = (lang?: string) => {
      const r = plain().post('/api/incidents').set('Authorization', `Bearer ${commander}`);
      return (lang ? r.set('Accept-Language', lang) : r).send({ title: 7, kind: 'volcano', severity: 'severe', lat: 24.6, lng: 118.1, extra: 1 });
    };
    const zh = await send();
    const en = await send('en');
    expect([zh.status, zh.body.code, en.status, en.body.code]).toEqual([400, 'REQUEST.VALIDATION', 400, 'REQUEST.VALIDATION']);
    const kindZh = zh.body.errors.find((f: { field: string }) => f.field === 'kind');
    const kindEn = en.body.errors.find((f: { field: string }) => f.field === 'kind');
    expect(kindZh.messages.join(' ')).toMatch(/^kind 必须是以下之一：typhoon、/);
    expect(kindEn.messages.join(' ')).toMatch(/kind must be one of/);
    expect(zh.body.message).toMatch(HAN);
    expect(zh.body.errors.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['title', 'kind', 'extra']));
    expect(en.body.message).not.toMatch(HAN);
  });

  it('a dispatch refused with its details, in both languages', async () => {
    const zh = await plain().get('/api/dispatches/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${commander}`);
    const en = await plain().get('/api/dispatches/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${commander}`).set('Accept-Language', 'en');
    expect(zh.body).toEqual({ statusCode: 404, code: 'DISPATCH.NOT_FOUND', message: '找不到 ID 为 00000000-0000-4000-8000-000000000000 的派单。' });
    expect(en.body).toEqual({ statusCode: 404, code: 'DISPATCH.NOT_FOUND', message: 'No dispatch with id 00000000-0000-4000-8000-000000000000.' });
  });

  it('unknown routes, malformed JSON and the input boundary answer in the language asked for', async () => {
    const route = await plain().get('/api/no-such-thing');
    expect(route.body).toMatchObject({ code: 'ROUTE.NOT_FOUND', message: '没有这个接口：GET /api/no-such-thing' });
    const json = await plain().post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":');
    expect(json.body).toEqual({ statusCode: 400, code: 'REQUEST.MALFORMED_JSON', message: '请求内容不是有效的 JSON。' });
    const jsonEn = await plain().post('/api/auth/login').set('Accept-Language', 'en').set('Content-Type', 'application/json').send('{"username":');
    expect(jsonEn.body.message).toBe('The request body is not valid JSON.');
  });

  it('import line errors in the language asked for', async () => {
    const csv = 'code,name,type,areaCode,lat,lng\nA1,站点,hospital,baogai,24.6,118.1\nA1,站点二,nowhere,baogai,24.6,118.1\n';
    const upload = (lang?: string) => {
      const r = plain().post('/api/imports/facilities?dryRun=true').set('Authorization', `Bearer ${commander}`).set('Content-Type', 'text/csv');
      return (lang ? r.set('Accept-Language', lang) : r).send(csv);
    };
    const zh = await upload();
    const en = await upload('en');
    expect([zh.status, zh.body.code, en.body.code]).toEqual([400, 'IMPORT.INVALID_ROWS', 'IMPORT.INVALID_ROWS']);
    expect(zh.body.message).toMatch(/未导入任何数据/);
    expect(en.body.message).toMatch(/nothing was imported/);
    const line3 = (body: { rows: { line: number; message: string }[] }) => body.rows.filter((r) => r.line === 3).map((r) => r.message).join(' | ');
    expect(line3(zh.body)).toMatch(HAN);
    expect(line3(en.body)).not.toMatch(HAN);
  });
});
