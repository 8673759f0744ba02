/** The mass balance (issue 14) for managers and operators: as JSON or as CSV for Excel. */
import { z } from 'zod';
import { ApiErrorBody, MassBalanceQuery, MassBalanceReport } from '../../../shared/contracts/index.ts';
import { DEFAULT_LOCALE, LOCALES } from '../../console/core/i18n/locale.ts';
import { MASS_BALANCE_CSV_COLUMNS, massBalanceCsv, massBalanceCsvFilename } from '../../console/core/mass-balance-csv.ts';
import { checkDayRange, MAX_REPORT_DAYS } from '../../timeseries/core/tonnage.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { BadRange, fromStore, StoreUnavailable } from '../errors.ts';
import { CSV_BODY, sendCsv, translatorsFor } from './csv-download.ts';

const MassBalanceCsvQuery = MassBalanceQuery.extend({
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE).describe('language of the header row and of the subdistrict and category names'),
});

const DESCRIPTION = [
  `Days are district-local; at most ${MAX_REPORT_DAYS} days per request. Stages: deposited (the boxes' scales), collected`,
  '(the boxes\' collection events), weighed in at the transfer stations (trip tickets), shipped (weigh-outs),',
  'received (weigh-ins at the sorting centre, matched by transfer note), recovered and residue (sorting reports).',
  'Weighbridge figures are allocated to category × subdistrict by what the trips collected; `days[].legs` compare',
  'each pair of stages against its tolerance; `trips` lists the trips beyond tolerance, without a weigh-in or with',
  'an unknown plate. Method: docs/ledger.md.',
].join(' ');

export function massBalanceRoutes(app: ZodApp, deps: Pick<ApiDeps, 'massBalance' | 'utcOffsetMinutes'>): void {
  const translator = translatorsFor(deps.utcOffsetMinutes);
  app.get(
    '/api/v1/reports/mass-balance',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'Mass balance: kg per stage from deposit to sorting, per day, category and subdistrict, with each leg against its tolerance',
        description: DESCRIPTION,
        querystring: MassBalanceQuery,
        response: { 200: MassBalanceReport, 400: ApiErrorBody, 503: ApiErrorBody },
      },
    },
    async (request) => report(request.query),
  );

  app.get(
    '/api/v1/reports/mass-balance.csv',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'The mass balance as CSV, for spreadsheets',
        description: [
          'The same query and rows as `GET /api/v1/reports/mass-balance`: a header row, then one line per day × subdistrict ×',
          `category, kg to the gram, in the columns ${MASS_BALANCE_CSV_COLUMNS.join(', ')}. \`lang\` (${LOCALES.join(' or ')},`,
          `default ${DEFAULT_LOCALE}) chooses the language of the header row and of the names. UTF-8 with a byte-order mark`,
          'and CRLF line ends; sent as an attachment.',
        ].join(' '),
        querystring: MassBalanceCsvQuery,
        response: {
          200: CSV_BODY,
          400: ApiErrorBody,
          503: ApiErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { from, to, subdistrict, lang } = request.query;
      const csv = massBalanceCsv(await report(request.query), translator(lang));
      return sendCsv(reply, csv, massBalanceCsvFilename(from, to, subdistrict));
    },
  );


  async function report({ from, to, subdistrict }: MassBalanceQuery): Promise<MassBalanceReport> {
    const range = checkDayRange(from, to);
    if (!range.ok) throw new BadRange(range.error);
    if (deps.massBalance === undefined) throw new StoreUnavailable('the mass balance is not wired in this process');
    return fromStore(deps.massBalance.report({ from, to, ...(subdistrict !== undefined && { subdistrict }) }));
  }
}
