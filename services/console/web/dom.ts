/** A tiny element builder: h('td', { class: 'num' }, '92 %'). No framework, no innerHTML with data. */

type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (event: Event) => void;
export interface Props {
  class?: string;
  dataset?: Record<string, string>;
  style?: Partial<Record<string, string>>;
  [attribute: string]: string | number | boolean | Handler | Record<string, string | undefined> | undefined;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * The markup-sensitive characters of text as entities: only for the few library options that take
 * HTML and nothing else (Leaflet's attribution). Everywhere else, hand the library an element.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Attributes whose value the browser may load or navigate to. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster']);

/**
 * Whether an attribute may be set from a string: never an event handler (handlers are functions,
 * added as listeners), no srcdoc (a whole document), no script URL in a link or source. Browsers
 * ignore ASCII whitespace and control characters inside a scheme, so they are dropped first.
 */
export function isSafeAttribute(name: string, value: string): boolean {
  const key = name.toLowerCase();
  if (key.startsWith('on')) return false;
  if (key === 'srcdoc') return false;
  if (!URL_ATTRIBUTES.has(key)) return true;
  const scheme = /^([^:/?#]*):/.exec(value.replace(/[\u0000-\u0020\u007f]/g, ''))?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https' || scheme === 'blob' || scheme === 'mailto';
}

function apply(el: Element, props: Props | undefined): void {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') el.setAttribute('class', String(value));
    else if (key === 'dataset') Object.assign((el as HTMLElement).dataset, value);
    else if (key === 'style') Object.assign((el as HTMLElement).style, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as Handler);
    else if (value === true) el.setAttribute(key, '');
    // A string handler or a javascript: URL would run code: left off (the element still shows, inert).
    else if (!isSafeAttribute(key, String(value))) continue;
    else el.setAttribute(key, String(value));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, props ?? undefined);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s<K extends keyof SVGElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, props ?? undefined);
  append(el, children);
  return el;
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
