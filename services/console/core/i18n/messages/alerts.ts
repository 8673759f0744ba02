/** Messages of the alerts part of the console (filled in by the view's owner). */
import { defineMessages } from '../catalogue.ts';

export const alertsMessages = defineMessages({}, {});
