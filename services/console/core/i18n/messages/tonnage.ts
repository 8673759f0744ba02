/** Messages of the tonnage part of the console (filled in by the view's owner). */
import { defineMessages } from '../catalogue.ts';

export const tonnageMessages = defineMessages({}, {});
