import { DomainError } from '../common/domain-error.js';
import { resolveScope, scopeSql } from './switchover-scope.js';

const id1 = '11111111-1111-1111-1111-111111111111';

describe('switchover scope', () => {
  it('resolves each kind of scope and drops duplicates', () => {
    expect(resolveScope({ all: true })).toEqual({ kind: 'all' });
    expect(resolveScope({ facilityIds: [id1, id1] })).toEqual({ kind: 'facilities', facilityIds: [id1] });
    expect(resolveScope({ areas: ['xiangzhi'], types: ['elder_canteen'] })).toEqual({ kind: 'areasTypes', areas: ['xiangzhi'], types: ['elder_canteen'] });
  });

  it.each([
    [{}, 'The scope is empty'],
    [{ all: false }, 'scope.all is false'],
    [{ facilityIds: [] }, 'scope.facilityIds is empty'],
    [{ areas: [] }, 'scope.areas is empty'],
    [{ all: true, areas: ['hubin'] }, 'Give only one of'],
    [{ types: ['castle'] }, 'Unknown facility type castle'],
  ])('rejects %j with a message that says what to send', (scope, message) => {
    expect(() => resolveScope(scope)).toThrow(DomainError);
    expect(() => resolveScope(scope)).toThrow(message);
  });

  it('builds one WHERE clause: areas and types intersect', () => {
    expect(scopeSql({ kind: 'all' })).toEqual({ where: 'true', params: [] });
    expect(scopeSql({ kind: 'facilities', facilityIds: [id1] })).toEqual({ where: 'id = ANY($1::uuid[])', params: [[id1]] });
    expect(scopeSql({ kind: 'areasTypes', areas: ['a'], types: ['elder_canteen'] }, 3)).toEqual({
      where: 'area_code = ANY($3::text[]) AND type = ANY($4::text[])',
      params: [['a'], ['elder_canteen']],
    });
  });
});
