import type { Catalogue, MessageParams } from './types.js';

/** Statuses, roles and kinds as a Chinese message names them (codes never appear raw). */
export const ZH_WORDS: Readonly<Record<string, string>> = {
  pending: '待确认', accepted: '已接受', declined: '已拒绝', expired: '已超时', en_route: '在途', on_scene: '已到场',
  completed: '已完成', cancelled: '已取消', available: '待命', assigned: '已派遣', returning: '返回中', unavailable: '不可用',
  open: '处置中', resolved: '已解决', planned: '计划中', running: '进行中', finished: '已结束',
  commander: '指挥员', squad_leader: '先锋队队长', coordinator: '演练协调员', viewer: '观察员',
  start: '开始', finish: '结束', cancel: '取消', log: '记录', dispatch: '派遣',
};
const w = (v: string | number | undefined) => (v === undefined ? '' : String(v).split(/\s*(?:,|\bor\b)\s*/).map((s) => ZH_WORDS[s] ?? s).join('、'));
const withId = (what: string, p: MessageParams) => (p.id === undefined ? `找不到该${what}。` : `找不到 ID 为 ${p.id} 的${what}。`);

const DRILL_WHY: Record<string, string> = {
  start: '只有计划中的演练才能开始。',
  finish: '只有进行中的演练才能结束。',
  cancel: '已结束或已取消的演练不能再取消。',
  log: '只能在演练进行时添加记录。',
  dispatch: '只能在演练进行时发送演练派遣。',
};

/** 中文错误信息，每个错误码一条。 */
export const ZH: Catalogue = {
  'REQUEST.VALIDATION': () => '请求内容有误。',
  'REQUEST.BAD_ID': (p) => (p.value === undefined ? '这不是有效的 ID。' : `"${p.value}" 不是有效的 ID${p.reason === 'event' ? '（事件 ID 应为数字）' : '（应为 UUID）'}。`),
  'REQUEST.INVALID': () => '请求内容有误。',
  'REQUEST.CONFLICT': () => '请求与当前状态冲突。',
  'REQUEST.TOO_LARGE': (p) => `请求内容超过了大小上限${p.limit === undefined ? '' : `（${p.limit}）`}。`,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': () => '此接口不接受这种类型的内容。',
  'REQUEST.RATE_LIMITED': () => '请求过于频繁，请稍后再试。',
  'REQUEST.MALFORMED_JSON': () => '请求内容不是有效的 JSON。',
  'REQUEST.UNREADABLE_BODY': () => '无法读取请求内容。',
  'REQUEST.TOO_DEEP': (p) => `请求的嵌套超过 ${p.max ?? 32} 层${p.path ? `（位于 ${p.path}）` : ''}，请发送更扁平的 JSON。`,
  'REQUEST.UNSTORABLE_VALUE': () => '请求中有无法保存的值（超出范围、缺失或格式错误），请检查各字段后重试。',
  'ROUTE.NOT_FOUND': (p) => (p.route ? `没有这个接口：${p.route}` : '没有这个接口。'),
  'ROUTE.METHOD_NOT_ALLOWED': () => '此接口不支持该请求方法。',
  'DB.UNAVAILABLE': () => '数据库暂时无法连接，请稍后再试。',
  'DB.CONFLICT': () => '此修改与同时进行的其他修改冲突，未被执行，请重试。',
  'SOCKET.BAD_LAST_EVENT_ID': () => 'lastEventId 必须是事件 ID（数字）。',
  'SOCKET.BAD_EPOCH': () => 'epoch 必须是 replay.done 给出的日志纪元（UUID）。',
  'SOCKET.RATE_LIMITED': () => '消息过于频繁，请放慢速度。',
  'SOCKET.UNKNOWN_EVENT': () => '服务器不认识这条消息。',
  'SOCKET.TIMEOUT': () => '服务器未能及时应答，请重试。',
  'IDEMPOTENCY.BAD_KEY': () => 'Idempotency-Key 必须是 1–128 个字母、数字、点、冒号、短横线或下划线。',
  'IDEMPOTENCY.IN_PROGRESS': () => '使用此键的第一次请求未完成，请换一个新键重试。',
  'IDEMPOTENCY.KEY_REUSED': () => '此 Idempotency-Key 已用于另一个请求，请使用新键。',
  'AUTH.UNAUTHORIZED': () => '请先登录。',
  'AUTH.FORBIDDEN': (p) => (p.roles ? `此操作需要${w(p.roles)}角色${p.role ? `，您是${w(p.role)}` : ''}。` : '您无权执行此操作。'),
  'AUTH.INVALID_CREDENTIALS': () => '用户名或密码错误。',
  'AUTH.TOKEN_EXPIRED': () => '登录已过期，请重新登录。',
  'AUTH.NOT_YOUR_SQUAD': () => '您只能为本队操作。',
  'AUTH.RATE_LIMITED': (p) => `登录失败次数过多，请${p.seconds === undefined ? '稍后' : ` ${p.seconds} 秒后`}再试。`,
  'AUTH.INVALID_API_TOKEN': () => '此 API 令牌无效或已被撤销，请向指挥员申请新的令牌。',
  'AUTH.API_TOKEN_NOT_ALLOWED': () => 'API 令牌只能读取 CAP 预警源和 CAP 预警；其他操作请登录。',
  'AUTH.USER_DISABLED': () => '此账号已被停用，请联系指挥员启用。',
  'AUTH.TOKEN_REVOKED': () => '此会话已结束，请重新登录。',
  'AUTH.INVALID_REFRESH_TOKEN': () => '此会话已结束（刷新令牌已失效），请重新登录。',
  'USER.USERNAME_TAKEN': (p) => (p.username === undefined ? '此用户名已被占用。' : `用户名"${p.username}"已被占用。`),
  'USER.SQUAD_MISMATCH': () => '先锋队队长必须指定所属队伍（squadId），其他角色不能指定。',
  'USER.NOT_FOUND': (p) => withId('用户', p),
  'USER.CANNOT_DISABLE_SELF': () => '不能停用自己的账号，请联系另一位指挥员。',
  'API_TOKEN.NOT_FOUND': (p) => withId('API 令牌', p),
  'FACILITY.NOT_FOUND': (p) => withId('场所', p),
  'FACILITY.BAD_BBOX': () => 'bbox 必须是 最小经度,最小纬度,最大经度,最大纬度。',
  'FACILITY.CODE_TAKEN': () => 'code：已有其他场所使用此编码。',
  'FACILITY.KIND_NOT_ALLOWED': () => 'kind：只有邻里中心才有类别。',
  'FACILITY.NOTHING_TO_CHANGE': () => '请至少提供一个要修改的字段。',
  'FACILITY.OWN_PARENT': () => 'parentId：场所不能位于自身之内。',
  'FACILITY.PARENT_CYCLE': (p) => (p.cycle ? `parentId：${p.code} 将位于自身之内（${p.cycle}），请选择不在其内的上级场所。` : 'parentId：场所将位于自身之内。'),
  'FACILITY.UNKNOWN_REFERENCE': () => '引用的记录不存在。',
  'SWITCHOVER.INVALID_SCOPE': () => '切换范围无效：请给出 facilityIds、areas/types（类型须为已知类型）或 all: true 其中之一，且不能为空。',
  'SWITCHOVER.NOTHING_MATCHED': () => '没有场所符合此范围，未进行切换。',
  'SWITCHOVER.UNKNOWN_AREA': (p) => `未知片区${p.areas ? ` ${p.areas}` : ''}；片区编码见 GET /api/areas。`,
  'STOCK.INSUFFICIENT': (p) =>
    p.available === undefined ? '此场所库存不足，未做任何更改。' : `此场所 ${p.item} 仅剩 ${p.available}，请求 ${p.quantity}，未做任何更改。`,
  'STOCK.BAD_QUANTITY': () => 'quantity 必须是 1 到 1,000,000 的整数（仅盘点时可为 0）。',
  'STOCK.SAME_SITE': () => '调出场所和调入场所必须不同。',
  'STOCK.UNKNOWN_ITEM': (p) => `没有物资${p.item ? ` ${p.item}` : ''}；物资目录见 GET /api/supply-items。`,
  'RESERVE.BAD_TARGET': (p) => `${p.field ?? 'requirements'}：facilityType 和 facilityId 必须给出其一。`,
  'SQUAD.NOT_FOUND': (p) => withId('先锋队', p),
  'SQUAD.INVALID_STATUS': (p) =>
    p.allowed
      ? `队伍当前为"${w(p.from)}"，只能设为"${w(p.allowed)}"，不能设为"${w(p.to)}"。`
      : `队伍正在执行派遣（${w(p.from) || '任务中'}），其状态随派遣变化（请上报进展，或请指挥中心取消）。`,
  'INCIDENT.NOT_FOUND': (p) => withId('事件', p),
  'INCIDENT.NOT_OPEN': (p) => `该事件${p.status ? w(p.status) : '已关闭'}，不能再派遣。`,
  'INCIDENT.INVALID_TRANSITION': (p) => (p.status ? `事件已${w(p.status).replace(/^已/, '')}，状态不能再改变。` : '事件已关闭。'),
  'DISPATCH.NOT_FOUND': (p) => withId('派单', p),
  'DISPATCH.EXPIRED': () => '太迟了：确认时限已过，指挥中心已收到通知。',
  'DISPATCH.INVALID_TRANSITION': (p) =>
    p.from === undefined
      ? '派单不能进行这一步。'
      : `派单不能从"${w(p.from)}"变为"${w(p.to)}"：${p.next ? `"${w(p.from)}"之后只能是"${w(p.next)}"` : `"${w(p.from)}"是最终状态`}。`,
  'DISPATCH.SQUAD_UNAVAILABLE': (p) => `${p.squads ? `以下队伍不可用：${p.squads}` : '有队伍不可用'}。未派遣任何队伍。`,
  'DISPATCH.EXERCISE_MISMATCH': (p) =>
    p.reason === 'drill_incident' ? '此事件属于演练：请从演练中发送演练派遣，不能发送真实派遣。' : '这是真实事件：演练不能向其派遣。',
  'DRILL.NOT_FOUND': (p) => withId('演练', p),
  'DRILL.BAD_PERIOD': () => '计划结束时间必须晚于计划开始时间。',
  'DRILL.INVALID_STATE': (p) => `${DRILL_WHY[String(p.action)] ?? '现在不能这样做。'}此演练当前为"${w(p.status) || '其他状态'}"。`,
  'DRILL.SQUAD_NOT_PARTICIPATING': (p) => `队伍 ${p.squads ?? ''} 未参加此演练。`,
  'DRILL.UNKNOWN_AREA': (p) => `areas：未知片区${p.areas ? ` ${p.areas}` : ''}；片区编码见 GET /api/areas。`,
  'ALERT.NOT_FOUND': (p) => (p.id === undefined ? '没有这条预警。' : `没有预警 ${p.id}。`),
  'ALERT.ALREADY_ACKNOWLEDGED': (p) => `预警${p.id === undefined ? '' : ` ${p.id} `}已被确认。`,
  'CAP.NOT_FOUND': (p) => `没有您可查看的 CAP 预警${p.id === undefined ? '' : ` ${p.id}`}；列表见 GET /api/cap/feed。`,
  'IMPORT.BAD_CSV': (p) => `文件不是有效的 CSV${p.detail ? `：${p.detail}` : ''}。`,
  'IMPORT.BAD_HEADER': (p) =>
    `第 1 行：${[p.unknown && `未知的列 ${p.unknown}`, p.missing && `缺少列 ${p.missing}`].filter(Boolean).join('；') || '表头不正确'}${p.columns ? `。可用的列：${p.columns}` : ''}。`,
  'IMPORT.EMPTY_FILE': (p) => (p.reason === 'no_rows' ? '文件只有表头，没有数据行。' : p.reason === 'no_body' ? '请求内容为空：请把文件作为请求内容发送。' : p.reason === 'no_features' ? 'FeatureCollection 中没有要素。' : '文件为空：需要一行表头和至少一行数据。'),
  'IMPORT.ID_USED': (p) => `导入 ${p.id ?? ''} 已执行过，请使用新的 importId。`,
  'IMPORT.NOT_FEATURE_COLLECTION': () => '文件必须是 GeoJSON FeatureCollection：{"type": "FeatureCollection", "features": [...]}。',
  'IMPORT.NOT_JSON': () => '文件不是有效的 JSON，应为 GeoJSON FeatureCollection。',
  'IMPORT.NO_SUCH_TEMPLATE': (p) => `没有这个模板${p.names ? `；可用的模板：${p.names}` : ''}。`,
  'IMPORT.UNSUPPORTED_TYPE': (p) => `请以 ${p.wanted ?? 'CSV 或 GeoJSON'} 格式发送文件（Content-Type），或用 ?format= 指定。`,
  'IMPORT.INVALID_ROWS': (p) =>
    p.lines === undefined ? '部分行有问题，未导入任何数据。请修改所列各行后重新上传。' : `${p.total} 行中有 ${p.lines} 行有问题${p.more ? `（仅列出前 ${p.more} 个问题）` : ''}，未导入任何数据。请修改所列各行后重新上传。`,
  'EXPORT.BAD_RANGE': () => '时间范围无效：开始时间必须早于结束时间。',
  'EXPORT.RANGE_TOO_LONG': (p) => `时间范围过长${p.maxDays ? `：每次最多导出 ${p.maxDays} 天` : ''}，请分段导出。`,
  'PLAN.INVALID': () => '预案内容有误：请检查各级别的范围、储备物资和任务清单。',
  'PLAN.NOT_FOUND': (p) => (p.code ? `没有预案"${p.code}"；预案列表见 GET /api/plans。` : '没有这个预案；预案列表见 GET /api/plans。'),
  'PLAN.CODE_TAKEN': (p) => `编码为"${p.code ?? ''}"的预案已存在，请用 PUT 修改。`,
  'PLAN.ACTIVATION_NOT_FOUND': (p) => withId('预案启动记录', p),
  'PLAN.NOT_ACTIVE': (p) => `此次响应${p.status === 'closed' ? '已关闭' : '正在转平'}，不能再更改。`,
  'PLAN.SAME_LEVEL': (p) => `此次响应已经是 ${p.level ?? ''} 级。`,
  'PLAN.TASK_NOT_FOUND': (p) => withId('转换任务', p),
  'PLAN.TASK_DONE': () => '这项任务已经完成。',
  'PLAN.EXERCISE_ONLY': (p) => (p.reason === 'change'
    ? '演练协调员只能更改演练性质的响应；真实响应由指挥员处理。'
    : '演练协调员只能以演练方式启动预案（exercise: true）；真实启动由指挥员负责。'),
  'PLAN.NOTHING_IN_SCOPE': (p) => `预案"${p.code ?? ''}"的 ${p.level ?? ''} 级不涵盖任何场所，请修改预案范围。`,
  INTERNAL: () => '服务器内部出错，已记录。',
};
