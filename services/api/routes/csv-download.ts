/**
 * What every CSV download of the API shares (tonnage, mass balance, participation, a plan's
 * stops): the translator per language the rows and header are written in, and the reply as an
 * attachment with the CSV content type.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CSV_CONTENT_TYPE } from '../../console/core/csv.ts';
import type { Locale } from '../../console/core/i18n/locale.ts';
import { createI18n, type I18n } from '../../console/core/i18n/translator.ts';

/** The OpenAPI description of a CSV body. */
export const CSV_BODY = { description: 'text/csv; charset=utf-8', content: { 'text/csv': { schema: z.string() } } } as const;

/** One translator per language, made on first use (it builds a few Intl formatters). */
export function translatorsFor(utcOffsetMinutes: number): (locale: Locale) => I18n {
  const made = new Map<Locale, I18n>();
  return (locale) => {
    let i18n = made.get(locale);
    if (!i18n) made.set(locale, (i18n = createI18n(locale, utcOffsetMinutes)));
    return i18n;
  };
}

/** Sends the CSV as a file to save, under the given name. */
export function sendCsv(reply: FastifyReply, csv: string, filename: string): FastifyReply {
  return reply.type(CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="${filename}"`).send(csv);
}
