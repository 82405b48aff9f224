import type { Lang } from './language.js';

/** One problem with one field: the rule it broke (a class-validator constraint) and the rule's arguments. */
export interface FieldIssue {
  field: string;
  rule: string;
  args?: readonly unknown[];
  /** The English text as written at the rule (DTO messages are more specific than the catalogue's). */
  en: string;
}

const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join('、') : String(v));

/** Chinese text per validation rule, with the field's name. */
const ZH_RULES: Record<string, (f: string, a: readonly unknown[]) => string> = {
  isString: (f) => `${f} 必须是文本`,
  isInt: (f) => `${f} 必须是整数`,
  isNumber: (f) => `${f} 必须是数字`,
  isBoolean: (f) => `${f} 必须是 true 或 false`,
  isIn: (f, a) => `${f} 必须是以下之一：${list(a[0])}`,
  isEnum: (f) => `${f} 不是允许的值`,
  isUuid: (f) => `${f} 必须是 UUID`,
  isArray: (f) => `${f} 必须是数组`,
  isObject: (f) => `${f} 必须是对象`,
  isDefined: (f) => `必须提供 ${f}`,
  isNotEmpty: (f) => `${f} 不能为空`,
  min: (f, a) => `${f} 不能小于 ${String(a[0])}`,
  max: (f, a) => `${f} 不能大于 ${String(a[0])}`,
  isLength: (f, a) => (a[1] === undefined ? `${f} 至少 ${String(a[0])} 个字符` : `${f} 必须为 ${String(a[0])}–${String(a[1])} 个字符`),
  minLength: (f, a) => `${f} 至少 ${String(a[0])} 个字符`,
  maxLength: (f, a) => `${f} 最多 ${String(a[0])} 个字符`,
  matches: (f) => `${f} 的格式不正确`,
  arrayMinSize: (f, a) => `${f} 至少要有 ${String(a[0])} 项`,
  arrayMaxSize: (f, a) => `${f} 最多 ${String(a[0])} 项`,
  arrayUnique: (f) => `${f} 中不能有重复项`,
  arrayNotEmpty: (f) => `${f} 不能为空`,
  isInstant: (f) => `${f} 必须是带时区的真实日期时间，如 2026-12-01T09:00:00+08:00 或 2026-12-01T01:00:00Z`,
  isCalendarDate: (f) => `${f} 必须是真实的日历日期，如 2027-06-30`,
  whitelistValidation: (f) => `不允许字段 ${f}`,
  nestedValidation: (f) => `${f} 必须是对象`,
  notNull: (f) => `${f} 不能为 null：请给出值或省略此字段`,
  requiredObject: (f) => `必须提供 ${f}（一个对象）`,
  jsonObject: () => '请求内容必须是 JSON 对象（{ … }）',
  controlCharacter: (f) => `${f} 含有控制字符`,
  badUnicode: (f) => `${f} 含有无效的 Unicode（孤立的代理字符）`,
  tooDeep: (f) => `${f} 嵌套过深`,
};

export const KNOWN_RULES = Object.keys(ZH_RULES);

/** The text of one issue in a language: English as the rule wrote it, Chinese from the catalogue. */
export function issueText(issue: FieldIssue, lang: Lang): string {
  if (lang === 'en') return issue.en;
  const rule = ZH_RULES[issue.rule];
  return rule ? rule(issue.field, issue.args ?? []) : `${issue.field} 的值无效`;
}
