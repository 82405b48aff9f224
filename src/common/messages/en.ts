import type { Catalogue } from './types.js';

const id = (what: string, v: string | number | undefined) => (v === undefined ? `No such ${what}.` : `No ${what} with id ${v}.`);

const DRILL_WHY: Record<string, string> = {
  start: 'Only a planned drill can start.',
  finish: 'Only a running drill can finish.',
  cancel: 'A finished or cancelled drill cannot be cancelled.',
  log: 'Log entries are added while the drill runs.',
  dispatch: 'Exercise dispatches are sent while the drill runs.',
};

/** English messages, one per error code. `p.reason` picks a variant where one code has several. */
export const EN: Catalogue = {
  'REQUEST.VALIDATION': () => 'The request is not valid.',
  'REQUEST.BAD_ID': (p) => (p.value === undefined ? 'That is not a valid id.' : `"${p.value}" is not a valid id${p.reason === 'event' ? ' (an event id: digits)' : ' (a UUID)'}.`),
  'REQUEST.INVALID': () => 'The request is not valid.',
  'REQUEST.CONFLICT': () => 'The request conflicts with the current state.',
  'REQUEST.TOO_LARGE': (p) => `The request body is larger than the limit${p.limit === undefined ? '' : ` of ${p.limit}`}.`,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': () => 'The request body is not of a type this route accepts.',
  'REQUEST.RATE_LIMITED': () => 'Too many requests; slow down and try again shortly.',
  'REQUEST.MALFORMED_JSON': () => 'The request body is not valid JSON.',
  'REQUEST.UNREADABLE_BODY': () => 'The request body could not be read.',
  'REQUEST.TOO_DEEP': (p) => `${p.what ?? 'The request'} is nested deeper than ${p.max ?? 32} levels${p.path ? ` (at ${p.path})` : ''}; send flatter JSON.`,
  'REQUEST.UNSTORABLE_VALUE': () => 'A value in the request cannot be stored (out of range, missing or malformed); check the fields and try again.',
  'ROUTE.NOT_FOUND': (p) => (p.route ? `No such route: ${p.route}` : 'No such route.'),
  'ROUTE.METHOD_NOT_ALLOWED': () => 'This route does not take that method.',
  'DB.UNAVAILABLE': () => 'The database is not reachable right now; try again shortly.',
  'DB.CONFLICT': () => 'The change collided with others made at the same moment and was not applied; try again.',
  'SOCKET.BAD_LAST_EVENT_ID': () => 'lastEventId must be an event id (digits)',
  'SOCKET.BAD_EPOCH': () => 'epoch must be the log epoch (a uuid) from replay.done',
  'SOCKET.RATE_LIMITED': () => 'Too many messages; slow down.',
  'SOCKET.UNKNOWN_EVENT': () => 'The server does not know this message.',
  'SOCKET.TIMEOUT': () => 'The server did not answer in time; try again.',
  'IDEMPOTENCY.BAD_KEY': () => 'Idempotency-Key must be 1–128 letters, digits, dots, colons, dashes or underscores.',
  'IDEMPOTENCY.IN_PROGRESS': () => 'The first request with this key did not complete; retry with a new key.',
  'IDEMPOTENCY.KEY_REUSED': () => 'This Idempotency-Key was used for a different request; use a new key.',
  'AUTH.UNAUTHORIZED': () => 'Log in first.',
  'AUTH.FORBIDDEN': (p) => (p.roles ? `This needs the role ${p.roles}${p.role ? `; you are ${p.role}` : ''}.` : 'You may not do this.'),
  'AUTH.INVALID_CREDENTIALS': () => 'Wrong username or password.',
  'AUTH.TOKEN_EXPIRED': () => 'Your session has expired; log in again.',
  'AUTH.NOT_YOUR_SQUAD': () => 'You can only act for your own squad.',
  'AUTH.RATE_LIMITED': (p) => `Too many failed login attempts; try again${p.seconds === undefined ? ' later' : ` in ${p.seconds} s`}.`,
  'AUTH.INVALID_API_TOKEN': () => 'This API token is not valid or has been revoked; ask a commander for a new one.',
  'AUTH.API_TOKEN_NOT_ALLOWED': () => 'API tokens can only read the CAP feed and CAP alerts; log in for anything else.',
  'AUTH.USER_DISABLED': () => 'This account has been disabled; ask a commander to enable it.',
  'AUTH.TOKEN_REVOKED': () => 'This session has been ended; log in again.',
  'AUTH.INVALID_REFRESH_TOKEN': () => 'This session has ended (the refresh token is not valid any more); log in again.',
  'USER.USERNAME_TAKEN': (p) => (p.username === undefined ? 'This username is already taken.' : `The username "${p.username}" is already taken.`),
  'USER.SQUAD_MISMATCH': () => 'A squad_leader needs a squadId, and only a squad_leader may have one.',
  'USER.NOT_FOUND': (p) => id('user', p.id),
  'USER.CANNOT_DISABLE_SELF': () => 'You cannot disable your own account; ask another commander.',
  'API_TOKEN.NOT_FOUND': (p) => id('API token', p.id),
  'FACILITY.NOT_FOUND': (p) => id('facility', p.id),
  'FACILITY.BAD_BBOX': () => 'bbox must be minLng,minLat,maxLng,maxLat.',
  'FACILITY.CODE_TAKEN': () => 'code: another facility already has this code.',
  'FACILITY.KIND_NOT_ALLOWED': () => 'kind: only neighborhood centers have a kind.',
  'FACILITY.NOTHING_TO_CHANGE': () => 'Send at least one field to change.',
  'FACILITY.OWN_PARENT': () => 'parentId: a site cannot be inside itself.',
  'FACILITY.PARENT_CYCLE': (p) => (p.cycle ? `parentId: ${p.code} would be inside itself (${p.cycle}); choose a parent that is not inside it.` : 'parentId: the site would be inside itself.'),
  'FACILITY.UNKNOWN_REFERENCE': () => 'A referenced record does not exist.',
  'SWITCHOVER.INVALID_SCOPE': () => 'The scope is not valid: give exactly one of all, facilityIds, or areas/types.',
  'SWITCHOVER.NOTHING_MATCHED': () => 'No facility matches this scope; nothing was switched.',
  'SWITCHOVER.UNKNOWN_AREA': (p) => `Unknown area${p.areas ? ` ${p.areas}` : ''}; see GET /api/areas for the codes.`,
  'STOCK.INSUFFICIENT': (p) =>
    p.available === undefined ? 'Not enough stock at this site; nothing was changed.' : `Only ${p.available} ${p.item} available at this site; ${p.quantity} requested. Nothing was changed.`,
  'STOCK.BAD_QUANTITY': () => 'quantity must be a whole number from 1 to 1,000,000 (0 only to adjust a count).',
  'STOCK.SAME_SITE': () => 'fromFacilityId and toFacilityId must be different sites.',
  'STOCK.UNKNOWN_ITEM': (p) => `No supply item${p.item ? ` ${p.item}` : ''}; see GET /api/supply-items.`,
  'RESERVE.BAD_TARGET': (p) => `${p.field ?? 'requirements'}: give either facilityType or facilityId.`,
  'SQUAD.NOT_FOUND': (p) => id('squad', p.id),
  'SQUAD.INVALID_STATUS': (p) =>
    p.allowed
      ? `From ${p.from} a squad can be set to ${p.allowed}, not ${p.to}.`
      : `The squad is ${p.from ?? 'busy'} on a dispatch: its status follows the dispatch (progress, or ask the command center to cancel).`,
  'INCIDENT.NOT_FOUND': (p) => id('incident', p.id),
  'INCIDENT.NOT_OPEN': (p) => `The incident is ${p.status ?? 'closed'}: no new dispatches.`,
  'INCIDENT.INVALID_TRANSITION': (p) => (p.status ? `A ${p.status} incident stays ${p.status}.` : 'The incident is closed.'),
  'DISPATCH.NOT_FOUND': (p) => id('dispatch', p.id),
  'DISPATCH.EXPIRED': () => 'Too late: the acknowledgement deadline has passed and the command center has been told.',
  'DISPATCH.INVALID_TRANSITION': (p) =>
    p.from === undefined ? 'The dispatch cannot make this step.' : `A dispatch cannot go from ${p.from} to ${p.to}: ${p.next ? `from ${p.from} it can go to ${p.next}` : `${p.from} is final`}.`,
  'DISPATCH.SQUAD_UNAVAILABLE': (p) => `Not available${p.squads ? `: ${p.squads}` : ''}. Nothing was dispatched.`,
  'DISPATCH.EXERCISE_MISMATCH': (p) =>
    p.reason === 'drill_incident'
      ? 'This incident belongs to a drill: send exercise dispatches from the drill, not real ones.'
      : 'This is a real incident: a drill cannot dispatch to it.',
  'DRILL.NOT_FOUND': (p) => id('drill', p.id),
  'DRILL.BAD_PERIOD': () => 'plannedEnd must be after plannedStart.',
  'DRILL.INVALID_STATE': (p) => `${DRILL_WHY[String(p.action)] ?? 'This cannot be done now.'} This drill is ${p.status ?? 'not in the right state'}.`,
  'DRILL.SQUAD_NOT_PARTICIPATING': (p) => `Squad ${p.squads ?? ''} does not take part in this drill.`,
  'DRILL.UNKNOWN_AREA': (p) => `areas: unknown area${p.areas ? ` ${p.areas}` : ''}; see GET /api/areas for the codes.`,
  'ALERT.NOT_FOUND': (p) => (p.id === undefined ? 'There is no such alert.' : `There is no alert ${p.id}.`),
  'ALERT.ALREADY_ACKNOWLEDGED': (p) => `Alert ${p.id ?? ''} has already been acknowledged.`,
  'CAP.NOT_FOUND': (p) => `There is no CAP alert${p.id === undefined ? '' : ` ${p.id}`} that you may see; GET /api/cap/feed lists them.`,
  'IMPORT.BAD_CSV': (p) => `The file is not valid CSV${p.detail ? `: ${p.detail}` : ''}.`,
  'IMPORT.BAD_HEADER': (p) =>
    `Line 1: ${[p.unknown && `unknown columns ${p.unknown}`, p.missing && `missing columns ${p.missing}`].filter(Boolean).join('; ') || 'the header is not right'}${p.columns ? `. The columns are: ${p.columns}` : ''}.`,
  'IMPORT.EMPTY_FILE': (p) =>
    p.reason === 'no_rows'
      ? 'The file has a header but no rows.'
      : p.reason === 'no_body'
        ? 'The request body is empty: send the file as the body.'
        : p.reason === 'no_features'
          ? 'The FeatureCollection has no features.'
          : 'The file is empty: it needs a header line and at least one row.',
  'IMPORT.ID_USED': (p) => `Import ${p.id ?? ''} has already been applied; send a new importId.`,
  'IMPORT.NOT_FEATURE_COLLECTION': () => 'The file must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}.',
  'IMPORT.NOT_JSON': () => 'The file is not valid JSON. A GeoJSON FeatureCollection is expected.',
  'IMPORT.NO_SUCH_TEMPLATE': (p) => (p.names ? `There are templates ${p.names}.` : 'No such template.'),
  'IMPORT.UNSUPPORTED_TYPE': (p) => `Send the file as ${p.wanted ?? 'CSV or GeoJSON'} (Content-Type), or name it with ?format=.`,
  'IMPORT.INVALID_ROWS': (p) =>
    p.lines === undefined
      ? 'Some rows have problems; nothing was imported. Fix the lines listed and upload the file again.'
      : `${p.lines} of ${p.total} rows have problems${p.more ? ` (the first ${p.more} problems are listed)` : ''}; nothing was imported. Fix the lines listed and upload the file again.`,
  'EXPORT.BAD_RANGE': () => '`to` must be after `from`.',
  'EXPORT.RANGE_TOO_LONG': (p) => `Export at most ${p.maxDays ?? 'a limited number of'} days at a time; split the range.`,
  'PLAN.INVALID': () => 'The plan is not valid: check its levels, scope, reserve items and checklists.',
  'PLAN.NOT_FOUND': (p) => (p.code ? `There is no plan "${p.code}"; GET /api/plans lists them.` : 'There is no such plan; GET /api/plans lists them.'),
  'PLAN.CODE_TAKEN': (p) => `A plan with the code "${p.code ?? ''}" exists; edit it with PUT.`,
  'PLAN.ACTIVATION_NOT_FOUND': (p) => id('activation', p.id),
  'PLAN.NOT_ACTIVE': (p) => `The activation is ${p.status === 'closed' ? 'closed' : 'standing down'}; it can no longer change.`,
  'PLAN.SAME_LEVEL': (p) => `The activation is already at level ${p.level ?? ''}.`,
  'PLAN.TASK_NOT_FOUND': (p) => id('conversion task', p.id),
  'PLAN.TASK_DONE': () => 'This task is already done.',
  'PLAN.EXERCISE_ONLY': (p) => (p.reason === 'change'
    ? 'A coordinator may change only an exercise activation; a real one is the commander’s.'
    : 'A coordinator may activate a plan only as an exercise (exercise: true); a real activation is the commander’s.'),
  'PLAN.NOTHING_IN_SCOPE': (p) => `Level ${p.level ?? ''} of the plan "${p.code ?? ''}" covers no site; edit the plan's scope.`,
  'USER.FACILITIES_MISMATCH': () => 'A site_manager needs facilityIds (the sites they look after), and only a site_manager may have them.',
  'SITE.NOT_YOUR_SITE': () => 'You can only act for the sites you manage.',
  'SUPPLY_REQUEST.NOT_FOUND': (p) => id('supply request', p.id),
  'SUPPLY_REQUEST.ALREADY_FULFILLED': () => 'This request has already been fulfilled.',
  'ROLL_CALL.NOT_FOUND': (p) => id('roll call', p.id),
  'ROLL_CALL.EMPTY_AUDIENCE': () => 'audience must name facilityIds, areas, squadIds or roles.',
  'ROLL_CALL.NO_ADDRESSEES': () => 'Nobody to ask: no site manager, squad leader or user matches this audience.',
  'ROLL_CALL.NOT_ADDRESSEE': () => 'This roll call does not ask you; only its addressees answer it.',
  'ROLL_CALL.EXERCISE_ONLY': () => 'A coordinator may start exercise rounds only: send exercise: true.',
  'ROLL_CALL.UNKNOWN_AREA': (p) => `Unknown area${p.areas ? ` ${p.areas}` : ''}; see GET /api/areas for the codes.`,
  'ROLL_CALL.UNKNOWN_REPLY_CODE': () => 'No roll call entry has this reply code.',
  'CHECK_IN.NOT_ON_SCENE': () => 'Check-ins are for a squad on scene; report arrival (on scene) first.',
  'OUTBOUND.HOOK_OFF': () => 'The reply hook is off: set OUTBOUND_REPLY_SECRET to turn it on.',
  'OUTBOUND.BAD_SECRET': () => 'X-Gateway-Secret does not match OUTBOUND_REPLY_SECRET.',
  INTERNAL: () => 'Something went wrong on our side; it has been logged.',
};
