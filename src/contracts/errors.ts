// Every error code the API and the socket answer with, declared per feature. `DomainError` accepts only
// these, so a misspelt code does not compile; clients branch on them and never show them raw.
const codes = <F extends string, const R extends readonly string[]>(feature: F, reasons: R) =>
  reasons.map((r) => `${feature}.${r}`) as `${F}.${R[number]}`[];

export const ERROR_CODES = {
  request: codes('REQUEST', ['VALIDATION', 'BAD_ID', 'INVALID', 'CONFLICT', 'TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'RATE_LIMITED', 'MALFORMED_JSON', 'UNREADABLE_BODY', 'TOO_DEEP', 'UNSTORABLE_VALUE']),
  route: codes('ROUTE', ['NOT_FOUND', 'METHOD_NOT_ALLOWED']),
  db: codes('DB', ['UNAVAILABLE', 'CONFLICT']),
  socket: codes('SOCKET', ['BAD_LAST_EVENT_ID', 'BAD_EPOCH', 'RATE_LIMITED', 'UNKNOWN_EVENT', 'TIMEOUT']),
  idempotency: codes('IDEMPOTENCY', ['BAD_KEY', 'IN_PROGRESS', 'KEY_REUSED']),
  auth: codes('AUTH', ['UNAUTHORIZED', 'FORBIDDEN', 'INVALID_CREDENTIALS', 'TOKEN_EXPIRED', 'NOT_YOUR_SQUAD', 'RATE_LIMITED', 'INVALID_API_TOKEN', 'API_TOKEN_NOT_ALLOWED', 'USER_DISABLED', 'TOKEN_REVOKED', 'INVALID_REFRESH_TOKEN']),
  user: codes('USER', ['USERNAME_TAKEN', 'SQUAD_MISMATCH', 'FACILITIES_MISMATCH', 'NOT_FOUND', 'CANNOT_DISABLE_SELF']),
  apiToken: codes('API_TOKEN', ['NOT_FOUND']),
  facility: codes('FACILITY', ['NOT_FOUND', 'BAD_BBOX', 'CODE_TAKEN', 'KIND_NOT_ALLOWED', 'NOTHING_TO_CHANGE', 'OWN_PARENT', 'PARENT_CYCLE', 'UNKNOWN_REFERENCE']),
  switchover: codes('SWITCHOVER', ['INVALID_SCOPE', 'NOTHING_MATCHED', 'UNKNOWN_AREA']),
  stock: codes('STOCK', ['INSUFFICIENT', 'BAD_QUANTITY', 'SAME_SITE', 'UNKNOWN_ITEM']),
  reserve: codes('RESERVE', ['BAD_TARGET']),
  squad: codes('SQUAD', ['NOT_FOUND', 'INVALID_STATUS']),
  incident: codes('INCIDENT', ['NOT_FOUND', 'NOT_OPEN', 'INVALID_TRANSITION']),
  dispatch: codes('DISPATCH', ['NOT_FOUND', 'EXPIRED', 'INVALID_TRANSITION', 'SQUAD_UNAVAILABLE', 'EXERCISE_MISMATCH']),
  drill: codes('DRILL', ['NOT_FOUND', 'BAD_PERIOD', 'INVALID_STATE', 'SQUAD_NOT_PARTICIPATING', 'UNKNOWN_AREA']),
  alert: codes('ALERT', ['NOT_FOUND', 'ALREADY_ACKNOWLEDGED']),
  cap: codes('CAP', ['NOT_FOUND']),
  import: codes('IMPORT', ['BAD_CSV', 'BAD_HEADER', 'EMPTY_FILE', 'ID_USED', 'NOT_FEATURE_COLLECTION', 'NOT_JSON', 'NO_SUCH_TEMPLATE', 'UNSUPPORTED_TYPE', 'INVALID_ROWS']),
  plan: codes('PLAN', ['NOT_FOUND', 'CODE_TAKEN', 'INVALID', 'ACTIVATION_NOT_FOUND', 'NOT_ACTIVE', 'SAME_LEVEL', 'TASK_NOT_FOUND', 'TASK_DONE', 'EXERCISE_ONLY', 'NOTHING_IN_SCOPE']),
  export: codes('EXPORT', ['BAD_RANGE', 'RANGE_TOO_LONG']),
  site: codes('SITE', ['NOT_YOUR_SITE']),
  supplyRequest: codes('SUPPLY_REQUEST', ['NOT_FOUND', 'ALREADY_FULFILLED']),
  rollCall: codes('ROLL_CALL', ['NOT_FOUND', 'EMPTY_AUDIENCE', 'NO_ADDRESSEES', 'NOT_ADDRESSEE', 'EXERCISE_ONLY', 'UNKNOWN_AREA', 'UNKNOWN_REPLY_CODE']),
  checkIn: codes('CHECK_IN', ['NOT_ON_SCENE']),
  outbound: codes('OUTBOUND', ['HOOK_OFF', 'BAD_SECRET']),
};
/** `INTERNAL`: a fault of ours, logged, never caused by what the client sent. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES][number] | 'INTERNAL';

export interface FieldError {
  field: string;
  messages: string[];
}

/** A problem with one row of an uploaded file: the line to fix, the column if one is to blame. */
export interface RowError {
  line: number;
  field?: string;
  message: string;
}

/** Every error answer, HTTP and socket ack alike. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  errors?: FieldError[];
  rows?: RowError[];
}
