import { DomainError } from './domain-error.js';

/**
 * The first check on anything a client sends (HTTP bodies, query strings and paths, socket messages),
 * before authentication, validation or any service sees it:
 * - JSON nested deeper than MAX_DEPTH levels is refused (recursive code further on — validation,
 *   transformation, JSON columns — would otherwise overflow the stack: 2,000 levels fit in 4 KB);
 * - every string, keys included, must be text PostgreSQL and XML can store: no control characters
 *   but tab, line feed and carriage return (NUL is refused by PostgreSQL outright), and well-formed
 *   Unicode (no lone UTF-16 surrogate, which cannot be encoded as UTF-8 at all).
 * The walk is iterative, so it cannot overflow itself.
 */
export const MAX_DEPTH = 32;

// C0 controls and DEL, except tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with one string, in words, or undefined when it is fine. */
export function textProblem(text: string): string | undefined {
  const control = CONTROL.exec(text);
  if (control) return `must not contain control characters (found ${hex(control[0])}); only line breaks and tabs are allowed`;
  if (LONE_SURROGATE.test(text)) return 'is not valid Unicode text (it holds a lone UTF-16 surrogate)';
  return undefined;
}

const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/**
 * Checks a parsed input; returns the 400 to answer with, or undefined when it may go on.
 * `what` names the input in messages ("The request body", "The message").
 */
export function inspectInput(value: unknown, what: string, rootPath = ''): DomainError | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: rootPath, depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return invalidText(path || what, problem);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      return new DomainError('REQUEST.TOO_DEEP', 'invalid', { max: MAX_DEPTH, what, path });
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: child(path, i), depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const keyProblem = textProblem(key);
      if (keyProblem) return invalidText(path ? `a field name in ${path}` : `a field name in ${what.toLowerCase()}`, keyProblem);
      stack.push({ value: (v as Record<string, unknown>)[key], path: child(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

function invalidText(field: string, problem: string): DomainError {
  const message = `${field} ${problem}.`;
  const rule = problem.includes('Unicode') ? 'badUnicode' : 'controlCharacter';
  return new DomainError('REQUEST.VALIDATION', 'invalid', message, { issues: [{ field, rule, en: message }] });
}
