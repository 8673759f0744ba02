/** The frame around every view: the district, the views this role may open, live status, clock, language, who is signed in. */
import type { Me } from '../../../shared/contracts/index.ts';
import { visibleViews, type Access, type ConsoleView } from '../core/access.ts';
import { LOCALE_NAMES, LOCALES, type Locale } from '../core/i18n/locale.ts';
import type { I18n } from '../core/i18n/translator.ts';
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

/** Each language named in its own words, the current one pressed. */
export function languageSwitch(i18n: I18n, onChange: (locale: Locale) => void): HTMLElement {
  return h(
    'div',
    { class: 'lang-switch', role: 'group', 'aria-label': i18n.t('shell.language'), 'data-control': 'language' },
    LOCALES.map((locale) =>
      h(
        'button',
        {
          type: 'button',
          lang: locale,
          class: locale === i18n.locale ? 'is-selected' : '',
          'aria-pressed': String(locale === i18n.locale),
          'data-locale': locale,
          onclick: () => locale !== i18n.locale && onChange(locale),
        },
        LOCALE_NAMES[locale],
      ),
    ),
  );
}

export interface Shell {
  main: HTMLElement;
  setActive(view: ConsoleView): void;
  destroy(): void;
}

export interface ShellOptions {
  me: Me;
  access: Access;
  i18n: I18n;
  alerts: AlertStream | null;
  /** Under the top bar, e.g. the history notice. */
  notice?: HTMLElement;
  onSignOut: () => void;
  onLocale: (locale: Locale) => void;
}

export function renderShell(root: HTMLElement, options: ShellOptions): Shell {
  const { me, access, i18n, alerts } = options;
  const navLinks = new Map<ConsoleView, HTMLAnchorElement>();
  const badge = h('span', { class: 'nav-badge', hidden: true });
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': i18n.t('nav.label') },
    visibleViews(access).map((spec) => {
      const link = h('a', { href: `#/${spec.view}`, 'data-view': spec.view }, i18n.t(`nav.${spec.view}`), spec.view === 'operations' && badge);
      navLinks.set(spec.view, link);
      return link;
    }),
  );
  const clock = h('span', { class: 'clock', title: i18n.t('shell.districtTime') });
  const live = h('span', { class: 'live', 'data-live': 'connecting' });
  const tick = () => fill(clock, i18n.dateTime(Date.now()).replace(' ', '\u2002'), h('small', null, ` ${i18n.offsetLabel}`));
  tick();
  const clockTimer = setInterval(tick, 1_000);

  const showStream = () => {
    if (!alerts) return;
    const status = alerts.status;
    live.dataset.live = status;
    fill(live, h('span', { class: 'live-dot' }), i18n.t(status === 'live' ? 'shell.live' : status === 'connecting' ? 'shell.connecting' : 'shell.reconnecting'));
    const critical = alerts.board.counts().critical;
    badge.hidden = critical === 0;
    badge.textContent = i18n.number(critical);
    badge.title = i18n.t('nav.criticalOpen', { count: critical });
  };
  const unsubscribe = alerts?.subscribe(showStream);
  showStream();

  const main = h('main', { class: 'main', id: 'main' });
  fill(
    root,
    h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, logo(), h('div', { class: 'brand-text' }, h('strong', null, i18n.t('app.name')), h('span', null, i18n.t('app.tagline')))),
      nav,
      h(
        'div',
        { class: 'topbar-right' },
        alerts && live,
        clock,
        languageSwitch(i18n, options.onLocale),
        h(
          'div',
          { class: 'user', 'data-role': me.role },
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, [...me.name][0]?.toUpperCase() ?? '?'),
          h('span', { class: 'user-text' }, h('strong', { class: 'user-name' }, me.name), h('span', { class: 'user-role' }, i18n.t(`role.${me.role}`))),
        ),
        h('button', { class: 'btn btn-ghost', type: 'button', 'data-action': 'sign-out', onclick: () => options.onSignOut() }, i18n.t('shell.signOut')),
      ),
    ),
    options.notice,
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
