import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError } from './domain-error.js';
import type { FieldError } from '../contracts/errors.js';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix + e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], `${field}.`)];
  });
}

/** The error for a body or query that failed validation: every field and what is wrong with it. */
export function validationFailed(errors: ValidationError[]): DomainError {
  const fields = flatten(errors);
  const message = fields.flatMap((f) => f.messages).join('; ') || 'The request is not valid.';
  return new DomainError('REQUEST.VALIDATION', 'invalid', message, { errors: fields });
}

/** Validate at the edge: strip nothing silently — unknown fields are an error the client can fix. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: validationFailed,
  });
}

/** The same validation as the HTTP pipe, for payloads that do not come through it (websocket messages). */
export async function validated<T extends object>(type: new () => T, payload: unknown): Promise<T> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new DomainError('REQUEST.VALIDATION', 'invalid', 'The message must be a JSON object.');
  }
  const instance = plainToInstance(type, payload);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw validationFailed(errors);
  return instance;
}
