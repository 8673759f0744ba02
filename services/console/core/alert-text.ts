/** An alert's title in the user's language, from its message code and parameters (see AlertMessage). */
import type { Alert } from '../../../shared/contracts/index.ts';
import type { I18n } from './i18n/translator.ts';

export function alertText(alert: Pick<Alert, 'title' | 'message'>, _i18n: I18n): string {
  // Placeholder until the alert message codes have their catalogue (messages/alerts.ts).
  return alert.title;
}
