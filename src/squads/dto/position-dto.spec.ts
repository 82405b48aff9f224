import { validated } from '../../common/validation.js';
import { PositionDto, validatedPosition } from './squad.dto.js';

/** What PositionDto itself says of a message: the position it accepts, or the error's code and message. */
const byDto = (body: unknown) => validated(PositionDto, body).then((p) => ({ ok: { ...p } }), (e: Error & { code?: string }) => ({ refused: `${e.code}: ${e.message}` }));
const byFastPath = (body: unknown) => validatedPosition(body).then((p) => ({ ok: { ...p } }), (e: Error & { code?: string }) => ({ refused: `${e.code}: ${e.message}` }));

const numbers = [0, 24.78, -90, 90, 90.0001, -180, 180, 180.5, -0.5, 100_000, 100_001, NaN, Infinity, -Infinity, 1e308];
const others = ['24.7', '', true, null, undefined, [], {}, { lat: 1 }];

describe('validatedPosition: the quick check of a squad.position agrees with PositionDto', () => {
  it('accepts exactly what PositionDto accepts, and refuses the rest with its message', async () => {
    const bodies: unknown[] = [null, 'text', 42, [24.7, 118.6], Object.create({ lat: 24.7, lng: 118.6 })];
    for (const lat of [...numbers, ...others]) {
      for (const lng of [118.6, ...numbers, '118.6', null]) bodies.push({ lat, lng }, { lat, lng, accuracy: 12 });
    }
    for (const accuracy of [...numbers, ...others]) bodies.push({ lat: 24.7, lng: 118.6, accuracy });
    bodies.push({ lat: 24.7, lng: 118.6, extra: 1 }, { lat: 24.7, lng: 118.6, accuracy: 5, __proto__: { x: 1 } }, { lng: 118.6 });
    for (const body of bodies) {
      expect({ body, result: await byFastPath(body) }).toEqual({ body, result: await byDto(body) });
    }
  });
});
