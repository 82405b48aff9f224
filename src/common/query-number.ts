import { Transform } from 'class-transformer';

const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

/**
 * A number in a query string, which arrives as text: converted only when it is plain decimal
 * (`2026`, `-1.5`). Anything else (`0x7EA`, `2e3`, ` 2026`, ``, `true`) stays text, so the field's
 * own rule (IsInt …) refuses it with its message instead of Number() making something up.
 */
export const QueryNumber = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value));
