import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError } from './domain-error.js';
import { toErrorResponse } from './error-response.js';

describe('toErrorResponse', () => {
  it('keeps a domain error code, status, message, field errors and Retry-After', () => {
    const r = toErrorResponse(
      new DomainError('STOCK.INSUFFICIENT', 'conflict', 'Only 3 left.', { errors: [{ field: 'quantity', messages: ['too many'] }], retryAfterSeconds: 7 }),
      'en',
    );
    expect(r.body).toEqual({ statusCode: 409, code: 'STOCK.INSUFFICIENT', message: 'Only 3 left.', errors: [{ field: 'quantity', messages: ['too many'] }] });
    expect(r.headers).toEqual({ 'Retry-After': '7' });
    expect(r.unexpected).toBe(false);
  });

  it('maps Nest HTTP exceptions to stable codes', () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /api/x'), 'en').body).toEqual({ statusCode: 404, code: 'ROUTE.NOT_FOUND', message: 'No such route: GET /api/x' });
    expect(toErrorResponse(new BadRequestException(['a is wrong', 'b is wrong']), 'en').body.message).toBe('a is wrong; b is wrong');
    expect(toErrorResponse(new NotFoundException('Cannot GET /api/x')).body).toEqual({ statusCode: 404, code: 'ROUTE.NOT_FOUND', message: '没有这个接口：GET /api/x' });
  });

  it('answers a lost database with 503 DB.UNAVAILABLE', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toErrorResponse(refused).body).toMatchObject({ statusCode: 503, code: 'DB.UNAVAILABLE' });
    const adminShutdown = Object.assign(new Error('terminating connection due to administrator command'), { driverError: { code: '57P01' } });
    expect(toErrorResponse(adminShutdown).body.statusCode).toBe(503);
  });

  it('hides the internals of anything else behind a 500', () => {
    const r = toErrorResponse(new TypeError("Cannot read properties of undefined (reading 'secret')"), 'en');
    expect(r.body).toEqual({ statusCode: 500, code: 'INTERNAL', message: 'Something went wrong on our side; it has been logged.' });
    expect(toErrorResponse(new TypeError('x')).body.message).toBe('服务器内部出错，已记录。');
    expect(r.unexpected).toBe(true);
  });

  it('words a domain error in the language asked for: its template with its details, the code stays', () => {
    const e = new DomainError('DISPATCH.INVALID_TRANSITION', 'conflict', { from: 'expired', to: 'accepted' });
    expect(toErrorResponse(e, 'en').body).toEqual({ statusCode: 409, code: 'DISPATCH.INVALID_TRANSITION', message: 'A dispatch cannot go from expired to accepted: expired is final.' });
    expect(toErrorResponse(e).body).toEqual({ statusCode: 409, code: 'DISPATCH.INVALID_TRANSITION', message: '派单不能从"已超时"变为"已接受"："已超时"是最终状态。' });
    const own = new DomainError('AUTH.INVALID_CREDENTIALS', 'unauthorized', 'Wrong username or password.');
    expect([toErrorResponse(own, 'en').body.message, toErrorResponse(own, 'zh-CN').body.message]).toEqual(['Wrong username or password.', '用户名或密码错误。']);
    const rows = new DomainError('IMPORT.INVALID_ROWS', 'invalid', { lines: 1, total: 3 }, { rows: [{ line: 2, field: 'kind', message: 'kind must be one of: a, b', issue: { field: 'kind', rule: 'isIn', args: [['a', 'b']], en: 'kind must be one of: a, b' } }] });
    expect(toErrorResponse(rows).body.rows).toEqual([{ line: 2, field: 'kind', message: 'kind 必须是以下之一：a、b' }]);
    expect(toErrorResponse(rows, 'en').body.rows).toEqual([{ line: 2, field: 'kind', message: 'kind must be one of: a, b' }]);
  });

  it('answers a deadlock or serialization failure that survived its retry with 409 DB.CONFLICT, never 500', () => {
    for (const code of ['40P01', '40001']) {
      const r = toErrorResponse(Object.assign(new Error('deadlock detected'), { driverError: { code } }));
      expect(r.body).toMatchObject({ statusCode: 409, code: 'DB.CONFLICT' });
      expect(r.headers).toEqual({ 'Retry-After': '1' });
    }
  });

  it('answers a value PostgreSQL refuses (NUL text, an impossible date, a null in a required column) with 400, logged', () => {
    for (const code of ['22021', '22008', '22007', '22003', '22P02', '23502', '23514']) {
      const r = toErrorResponse(Object.assign(new Error('invalid input'), { driverError: { code } }));
      expect([code, r.body.statusCode, r.body.code, r.unexpected]).toEqual([code, 400, 'REQUEST.UNSTORABLE_VALUE', true]);
    }
  });
});
