/** What reached an InfluxDB 1.x server, asked over its HTTP /query endpoint (InfluxQL). */

interface QueryResponse {
  results?: { series?: { name: string; columns: string[]; values: unknown[][] }[]; error?: string }[];
  error?: string;
}

async function query(url: string, q: string, db?: string): Promise<QueryResponse> {
  const params = new URLSearchParams({ q, ...(db ? { db } : {}) });
  const response = await fetch(`${url}/query`, { method: 'POST', body: params, signal: AbortSignal.timeout(30_000) });
  const body = (await response.json()) as QueryResponse;
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  if (!response.ok || error) throw new Error(`InfluxDB ${q}: HTTP ${response.status} ${error ?? ''}`);
  return body;
}

export async function createDatabase(url: string, db: string): Promise<void> {
  await query(url, `CREATE DATABASE "${db}"`);
}

/** How many points hold `field`, summed over every measurement of the database. */
export async function countPoints(url: string, db: string, field: string): Promise<number> {
  const body = await query(url, `SELECT count("${field}") FROM /.*/`, db);
  let total = 0;
  for (const series of body.results?.[0]?.series ?? []) total += Number(series.values[0]?.[1] ?? 0);
  return total;
}
