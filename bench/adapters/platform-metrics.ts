/** Reads figures from a running platform's /metrics (Prometheus text). */

export async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (!response.ok) throw new Error(`/metrics: HTTP ${response.status}`);
  return response.text();
}

/** Every sample of a metric, with its label text ('' for none). */
export function samples(text: string, name: string): { labels: string; value: number }[] {
  const out: { labels: string; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const labels = rest[0] === '{' ? rest.slice(1, rest.indexOf('}')) : '';
    out.push({ labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return out;
}

/** The largest unconsumed journal backlog over the consumers (live, timeseries). */
export async function journalBacklog(baseUrl: string): Promise<number> {
  const values = samples(await scrape(baseUrl), 'binpulse_journal_backlog').map((s) => s.value);
  return values.length === 0 ? 0 : Math.max(...values);
}

export async function connectedDevices(baseUrl: string): Promise<number> {
  return samples(await scrape(baseUrl), 'binpulse_mqtt_connected_devices')[0]?.value ?? 0;
}
