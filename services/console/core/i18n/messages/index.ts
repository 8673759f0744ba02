/**
 * The console's whole catalogue per locale: every area's module merged. A key belongs to one
 * module; tests/unit/console/i18n.test.ts fails on a key defined twice or missing in a language.
 */
import type { Catalogue } from '../catalogue.ts';
import type { Locale } from '../locale.ts';
import { alertsMessages } from './alerts.ts';
import { commonMessages } from './common.ts';
import { healthMessages } from './health.ts';
import { ledgerMessages } from './ledger.ts';
import { operationsMessages } from './operations.ts';
import { participationMessages } from './participation.ts';
import { planningMessages } from './planning.ts';
import { tonnageMessages } from './tonnage.ts';
import { vocabularyMessages } from './vocabulary.ts';

/** Every module, for the tests (duplicate keys across modules). */
export const MESSAGE_MODULES = {
  commonMessages,
  vocabularyMessages,
  operationsMessages,
  healthMessages,
  tonnageMessages,
  alertsMessages,
  planningMessages,
  participationMessages,
  ledgerMessages,
};

type KeysOf<M> = M extends { en: infer E } ? Extract<keyof E, string> : never;
export type MessageKey = { [N in keyof typeof MESSAGE_MODULES]: KeysOf<(typeof MESSAGE_MODULES)[N]> }[keyof typeof MESSAGE_MODULES];

function merge(locale: Locale): Catalogue {
  return Object.assign({}, ...Object.values(MESSAGE_MODULES).map((module) => module[locale]));
}

export const MESSAGES: Readonly<Record<Locale, Catalogue>> = { 'zh-CN': merge('zh-CN'), en: merge('en') };
