/**
 * An alert's title in the user's language, from its message code and parameters (AlertMessage):
 * the message `alerts.msg.<code>` with code params said in words through the vocabulary
 * (category, subdistrict, fault, alertType, detectionType), numbers through the translator, and
 * proper names as they are. An alert whose code this console does not know (a newer server), or
 * whose params do not fill its message, shows its English title: better English than a key.
 */
import type { Alert } from '../../../shared/contracts/index.ts';
import { placeholders, type Catalogue } from './i18n/catalogue.ts';
import { MESSAGES, type MessageKey } from './i18n/messages/index.ts';
import type { I18n } from './i18n/translator.ts';

/** Params that are codes, and the vocabulary list that says each code in words. */
const CODE_LISTS: Readonly<Record<string, string>> = {
  category: 'category',
  subdistrict: 'subdistrict',
  fault: 'fault',
  alertType: 'alertType',
  detectionType: 'alerts.detection',
};

const known = (key: string): key is MessageKey => key in (MESSAGES.en as Catalogue);

function paramText(name: string, value: string | number, i18n: I18n): string | number {
  const list = CODE_LISTS[name];
  if (list === undefined || typeof value !== 'string') return value;
  const key = `${list}.${value}`;
  // A code this console has no word for stays as it is.
  return known(key) ? i18n.t(key) : value;
}

export function alertText(alert: Pick<Alert, 'title' | 'message'>, i18n: I18n): string {
  const { code, params } = alert.message;
  const key = `alerts.msg.${code}`;
  if (!known(key)) return alert.title;
  if (placeholders(MESSAGES.en[key]!).some((name) => params[name] === undefined)) return alert.title;
  const words = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, paramText(name, value, i18n)]));
  return i18n.t(key, words);
}
