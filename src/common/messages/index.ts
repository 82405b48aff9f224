import type { ErrorCode } from '../../contracts/errors.js';
import { EN } from './en.js';
import type { Lang } from './language.js';
import type { Catalogue, MessageParams } from './types.js';
import { ZH } from './zh.js';

export { pickLanguage, DEFAULT_LANG, type Lang } from './language.js';
export { issueText, type FieldIssue } from './constraints.js';
export type { MessageParams } from './types.js';

export const CATALOGUES: Record<Lang, Catalogue> = { 'zh-CN': ZH, en: EN };

/** The text of an error code in a language, with its details. */
export const errorText = (code: ErrorCode, lang: Lang, params: MessageParams = {}): string => CATALOGUES[lang][code](params);
