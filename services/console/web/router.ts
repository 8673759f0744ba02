/** Hash routes: #/operations, #/health?kind=camera&status=offline, #/tonnage?from=…&to=…. */

export interface Route {
  view: string | undefined;
  query: string;
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, '');
  const [view, query = ''] = hash.split('?', 2) as [string, string?];
  return { view: view || undefined, query };
}

/** Records a view's state (its filters) in the URL without reloading or firing hashchange. */
export function replaceQuery(view: string, query: string): void {
  history.replaceState(null, '', `#/${view}${query ? `?${query}` : ''}`);
}
