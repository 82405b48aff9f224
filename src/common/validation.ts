import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, ValidateIf, ValidationTypes } from 'class-validator';
import { DomainError } from './domain-error.js';
import { inspectInput } from './input-boundary.js';
import type { FieldIssue } from './messages/index.js';

/** The arguments of a rule on a property (`isIn`'s list, `min`'s bound…), for the message catalogues. */
function ruleArgs(target: object | undefined, property: string, rule: string): readonly unknown[] | undefined {
  if (!target) return undefined;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return metadata.find((m) => m.propertyName === property && m.name === rule)?.constraints;
}

/** Every broken rule of every field (nested ones as `parent.child`), by rule, with its English text. */
export function issuesOf(errors: ValidationError[], prefix = ''): FieldIssue[] {
  return errors.flatMap((e) => {
    const field = prefix + e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, en]) => ({ field, rule, args: ruleArgs(e.target, e.property, rule), en }));
    return [...own, ...issuesOf(e.children ?? [], `${field}.`)];
  });
}

/** The error for a body or query that failed validation: every field and what is wrong with it. */
export function validationFailed(errors: ValidationError[]): DomainError {
  const issues = issuesOf(errors);
  const message = issues.map((i) => i.en).join('; ') || 'The request is not valid.';
  return new DomainError('REQUEST.VALIDATION', 'invalid', message, { issues });
}

const NULLABLE = 'pingji:nullable';

/**
 * `null` is accepted for this (optional) field and means "none" — clearing an optional link or
 * name. Everywhere else null is refused: `@IsOptional()` alone lets null through to the database,
 * where a required column turns it into a 500. Kept as class-validator metadata so that PartialType
 * and friends carry it over.
 */
export const Nullable = (): PropertyDecorator => ValidateIf((_, value) => value !== null, { context: { marker: NULLABLE } });

interface FieldRules {
  /** Fields where null means "none" (@Nullable). */
  nullable: Set<string>;
  /** Nested objects that must be there: class-validator's ValidateNested lets a missing one through. */
  requiredNested: Set<string>;
}
type DtoClass = abstract new (...args: never[]) => unknown;
const rulesCache = new WeakMap<DtoClass, FieldRules>();

function rulesOf(type: DtoClass): FieldRules {
  let rules = rulesCache.get(type);
  if (rules) return rules;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const conditional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
  rules = {
    nullable: new Set(metadata.filter((m) => (m.context as { marker?: string } | undefined)?.marker === NULLABLE).map((m) => m.propertyName)),
    requiredNested: new Set(metadata.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION && !conditional.has(m.propertyName)).map((m) => m.propertyName)),
  };
  rulesCache.set(type, rules);
  return rules;
}

/**
 * The fields of a validated DTO (nested DTOs and arrays included) that hold a null they may not hold,
 * or miss a nested object they need, as the 400 to answer with. Iterative, like every walk over
 * client input.
 */
export function nullsRefused(instance: object): DomainError | undefined {
  const fields: FieldIssue[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: instance, path: '' }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item === null) fields.push({ field: `${path}[${i}]`, rule: 'notNull', en: `${path}[${i}] must not be null` });
        else stack.push({ value: item, path: `${path}[${i}]` });
      });
      continue;
    }
    const rules = value.constructor === Object ? undefined : rulesOf(value.constructor as DtoClass);
    for (const key of rules?.requiredNested ?? []) {
      const field = path ? `${path}.${key}` : key;
      if ((value as Record<string, unknown>)[key] === undefined) fields.push({ field, rule: 'requiredObject', en: `${field} is required: send it as an object` });
    }
    for (const [key, v] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (v === null && !rules?.nullable.has(key)) fields.push({ field, rule: 'notNull', en: `${field} must not be null: give a value, or leave the field out` });
      else stack.push({ value: v, path: field });
    }
  }
  if (!fields.length) return undefined;
  return new DomainError('REQUEST.VALIDATION', 'invalid', fields.map((f) => f.en).join('; '), { issues: fields });
}

const isPlainObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validate at the edge: strip nothing silently — unknown fields are an error the client can fix. On
 * top of Nest's pipe: a DTO body must be a JSON object, and null only where a field is @Nullable.
 * (Depth, control characters and bad Unicode were refused before routing: body-parsing.ts.)
 */
class BoundaryValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.type === 'body' && this.toValidate(metadata);
    if (dto && value !== undefined && !isPlainObject(value)) {
      const en = 'The request body must be a JSON object ({ … }).';
      throw new DomainError('REQUEST.VALIDATION', 'invalid', en, { issues: [{ field: 'body', rule: 'jsonObject', en }] });
    }
    const result: unknown = await super.transform(value, metadata);
    if (dto && isPlainObject(result)) {
      const refused = nullsRefused(result);
      if (refused) throw refused;
    }
    return result;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new BoundaryValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The validated object stays on each error (never sent): its class gives the rules' arguments to the messages.
    validationError: { target: true, value: false },
    exceptionFactory: validationFailed,
  });
}

/**
 * The same boundary and validation as HTTP bodies, for payloads that do not come through the pipe
 * (websocket messages): depth and text first, then an object, the DTO's rules, and no stray null.
 */
export async function validated<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  const unsafe = inspectInput(payload, 'The message');
  if (unsafe) throw unsafe;
  if (!isPlainObject(payload)) {
    throw new DomainError('REQUEST.VALIDATION', 'invalid', 'The message must be a JSON object.');
  }
  const instance = plainToInstance(type, payload);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationFailed(errors);
  const refused = nullsRefused(instance);
  if (refused) throw refused;
  return instance;
}
