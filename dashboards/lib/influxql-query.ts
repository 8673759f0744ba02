/**
 * An InfluxQL query for Grafana's InfluxDB datasource, as a dataquery variant of the Grafana
 * Foundation SDK (which ships no InfluxDB query builder). Only raw InfluxQL text is modelled:
 * every BinPulse panel names its retention policy and uses subqueries, which the visual query
 * editor cannot express. The fields are the ones Grafana's InfluxDB datasource stores for a
 * raw query (`rawQuery`, `query`, `resultFormat`, `alias`).
 */
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** time_series: one frame per series (GROUP BY tags), named by `alias`; table: tags become columns. */
export type InfluxResultFormat = 'time_series' | 'table';

export interface InfluxQLQuery extends Dataquery {
  refId?: string;
  hide?: boolean;
  datasource?: DataSourceRef;
  /** The InfluxQL text, with Grafana's macros ($timeFilter, $__interval) and variables. */
  query: string;
  /** Always true: the text is used as written. */
  rawQuery: true;
  resultFormat: InfluxResultFormat;
  /** Series name pattern, e.g. `$tag_category` (time_series only). */
  alias?: string;
}

export const defaultInfluxQLQuery = (): InfluxQLQuery => ({
  query: '',
  rawQuery: true,
  resultFormat: 'time_series',
  // Marks the type as a Dataquery variant for the SDK; a function, so JSON leaves it out.
  _implementsDataqueryVariant() {},
});

export class InfluxQLQueryBuilder implements Builder<Dataquery> {
  private readonly internal: InfluxQLQuery;

  constructor(query: string) {
    this.internal = defaultInfluxQLQuery();
    this.query(query);
  }

  build(): InfluxQLQuery {
    return this.internal;
  }

  query(query: string): this {
    const text = query.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
    if (text === '') throw new Error('an InfluxQL query needs text');
    this.internal.query = text;
    return this;
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  hide(hide: boolean): this {
    this.internal.hide = hide;
    return this;
  }

  datasource(datasource: DataSourceRef): this {
    this.internal.datasource = datasource;
    return this;
  }

  resultFormat(resultFormat: InfluxResultFormat): this {
    this.internal.resultFormat = resultFormat;
    return this;
  }

  /** Shorthand for resultFormat('table'). */
  table(): this {
    return this.resultFormat('table');
  }

  alias(alias: string): this {
    this.internal.alias = alias;
    return this;
  }
}

/** Whether a built target is one of ours (for tests walking a dashboard's JSON). */
export function isInfluxQLQuery(target: unknown): target is InfluxQLQuery {
  const t = target as Partial<InfluxQLQuery> | null;
  return typeof t === 'object' && t !== null && t.rawQuery === true && typeof t.query === 'string';
}
