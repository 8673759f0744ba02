/** The frame around every view: the district, the views this role may open, live status, clock, who is signed in. */
import type { Me } from '../../../shared/contracts/index.ts';
import { visibleViews, type Access, type ConsoleView } from '../core/access.ts';
import { formatDateTime, offsetLabel } from '../core/district-time.ts';
import { ROLE_LABELS } from '../core/labels.ts';
import type { AlertStream } from './alert-stream.ts';
import { fill, h, s } from './dom.ts';

export function logo(size = 30): SVGSVGElement {
  // A collection box with a pulse line through it: BinPulse.
  return s(
    'svg',
    { class: 'logo', width: size, height: size, viewBox: '0 0 32 32', 'aria-hidden': 'true' },
    s('rect', { x: 1, y: 1, width: 30, height: 30, rx: 8, fill: '#12a37f' }),
    s('path', { d: 'M9 11h14l-1.4 13.2a2 2 0 0 1-2 1.8h-7.2a2 2 0 0 1-2-1.8z', fill: 'none', stroke: '#fff', 'stroke-width': 2, 'stroke-linejoin': 'round' }),
    s('path', { d: 'M7.5 11h17M13 8h6', stroke: '#fff', 'stroke-width': 2, 'stroke-linecap': 'round' }),
    s('path', { d: 'M10.5 18h3l1.5-3 2 6 1.5-3h3', fill: 'none', stroke: '#fff', 'stroke-width': 1.6, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }),
  );
}

export interface Shell {
  main: HTMLElement;
  setActive(view: ConsoleView): void;
  destroy(): void;
}

export function renderShell(root: HTMLElement, options: { me: Me; access: Access; utcOffsetMinutes: number; alerts: AlertStream | null; onSignOut: () => void }): Shell {
  const { me, access, utcOffsetMinutes, alerts } = options;
  const navLinks = new Map<ConsoleView, HTMLAnchorElement>();
  const badge = h('span', { class: 'nav-badge', hidden: true });
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': 'Views' },
    visibleViews(access).map((spec) => {
      const link = h('a', { href: `#/${spec.view}`, 'data-view': spec.view }, spec.label, spec.view === 'operations' && badge);
      navLinks.set(spec.view, link);
      return link;
    }),
  );
  const clock = h('span', { class: 'clock', title: 'District time' });
  const live = h('span', { class: 'live', 'data-live': 'connecting' });
  const tick = () => fill(clock, formatDateTime(Date.now(), utcOffsetMinutes).replace(' ', '\u2002'), h('small', null, ` ${offsetLabel(utcOffsetMinutes)}`));
  tick();
  const clockTimer = setInterval(tick, 1_000);

  const showStream = () => {
    if (!alerts) return;
    const status = alerts.status;
    live.dataset.live = status;
    fill(live, h('span', { class: 'live-dot' }), status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…');
    const critical = alerts.board.counts().critical;
    badge.hidden = critical === 0;
    badge.textContent = String(critical);
    badge.title = `${critical} critical alerts open`;
  };
  const unsubscribe = alerts?.subscribe(showStream);
  showStream();

  const main = h('main', { class: 'main', id: 'main' });
  fill(
    root,
    h(
      'header',
      { class: 'topbar' },
      h(
        'div',
        { class: 'brand' },
        logo(),
        h('div', { class: 'brand-text' }, h('strong', null, 'BinPulse'), h('span', null, '天宁区智慧回收 · Tianning District, Changzhou')),
      ),
      nav,
      h(
        'div',
        { class: 'topbar-right' },
        alerts && live,
        clock,
        h(
          'div',
          { class: 'user', 'data-role': me.role },
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, [...me.name][0]?.toUpperCase() ?? '?'),
          h('span', { class: 'user-text' }, h('strong', { class: 'user-name' }, me.name), h('span', { class: 'user-role' }, ROLE_LABELS[me.role])),
        ),
        h('button', { class: 'btn btn-ghost', type: 'button', 'data-action': 'sign-out', onclick: () => options.onSignOut() }, 'Sign out'),
      ),
    ),
    main,
  );

  return {
    main,
    setActive(view) {
      for (const [name, link] of navLinks) {
        link.classList.toggle('is-active', name === view);
        if (name === view) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
    destroy() {
      clearInterval(clockTimer);
      unsubscribe?.();
    },
  };
}
