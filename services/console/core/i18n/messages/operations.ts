/** Messages of the operations part of the console (filled in by the view's owner). */
import { defineMessages } from '../catalogue.ts';

export const operationsMessages = defineMessages({}, {});
