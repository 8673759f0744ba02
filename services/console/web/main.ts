/**
 * The console's entry point: sign in with a token, ask /api/v1/me what it may do, then show the
 * views of that role under #/<view>, in the user's language. A 401 from any call returns to
 * sign-in; a language switch builds the screen again in the new language, signed in as before.
 */
import 'leaflet/dist/leaflet.css';
import './console.css';
import type { Me } from '../../../shared/contracts/index.ts';
import { resolveView, type Access, type ConsoleView } from '../core/access.ts';
import type { Locale } from '../core/i18n/locale.ts';
import { createI18n, type I18n } from '../core/i18n/translator.ts';
import { AlertStream } from './alert-stream.ts';
import { Api, ApiError, describeError } from './api.ts';
import { readConfig } from './config.ts';
import { h } from './dom.ts';
import { FleetFeed } from './fleet-feed.ts';
import { createHistoryNotice } from './history-notice.ts';
import { applyDocumentLocale, currentLocale, rememberLocale } from './language.ts';
import { currentRoute } from './router.ts';
import { session } from './session.ts';
import { renderShell, type Shell } from './shell.ts';
import { errorState } from './widgets.ts';
import type { MountedView, ViewContext, ViewMount } from './views/context.ts';
import { mountHealth } from './views/health.ts';
import { mountMassBalance } from './views/mass-balance.ts';
import { mountOperations } from './views/operations.ts';
import { mountParticipation } from './views/participation.ts';
import { mountPlans } from './views/plans.ts';
import { renderSignIn } from './views/signin.ts';
import { mountTonnage } from './views/tonnage.ts';

const MOUNTS: Record<ConsoleView, ViewMount> = {
  operations: mountOperations,
  health: mountHealth,
  tonnage: mountTonnage,
  plans: mountPlans,
  participation: mountParticipation,
  'mass-balance': mountMassBalance,
};
const config = readConfig();
const root = document.getElementById('app')!;

let i18n: I18n = useLocale(currentLocale());
let signedIn: { token: string; me: Me; shell: Shell; ctx: ViewContext; stopNotice: () => void; view?: { name: ConsoleView; mounted: MountedView } } | undefined;
/** The sign-in screen's message, kept so a language switch there can say it again. */
let signInMessage: ((i18n: I18n) => string) | undefined;

function useLocale(locale: Locale): I18n {
  applyDocumentLocale(locale);
  return createI18n(locale, config.utcOffsetMinutes);
}

function switchLocale(locale: Locale): void {
  rememberLocale(locale);
  i18n = useLocale(locale);
  if (!signedIn) return showSignIn();
  const { token, me } = signedIn;
  tearDown();
  start(token, me);
}

function tearDown(): void {
  if (!signedIn) return;
  signedIn.view?.mounted.unmount();
  signedIn.ctx.alerts?.stop();
  signedIn.ctx.fleet.stop();
  signedIn.stopNotice();
  signedIn.shell.destroy();
  signedIn = undefined;
  window.removeEventListener('hashchange', onHashChange);
}

function showSignIn(): void {
  document.title = i18n.t('page.title', { view: i18n.t('signin.title') });
  renderSignIn(root, { i18n, ...(signInMessage && { message: signInMessage(i18n) }), onSubmit: signIn, onLocale: switchLocale });
}

function signOut(message?: (i18n: I18n) => string): void {
  tearDown();
  session.clear();
  signInMessage = message;
  showSignIn();
}

/** Checks a token with /me; null when signed in, otherwise what to tell the user. */
async function signIn(token: string): Promise<string | null> {
  try {
    const me = await new Api(token).get<Me>('/api/v1/me');
    session.save(token);
    signInMessage = undefined;
    start(token, me);
    return null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return i18n.t('signin.invalid');
    return describeError(error, i18n);
  }
}

function start(token: string, me: Me): void {
  const api = new Api(token, () => signOut((t) => t.t('signin.revoked')));
  const access: Access = { role: me.role, permissions: me.permissions };
  const alerts = access.permissions.includes('alerts:read') ? new AlertStream(api) : null;
  alerts?.start();
  const fleet = new FleetFeed(api, i18n);
  const ctx: ViewContext = { api, access, me, config, i18n, fleet, alerts };
  // When the demo history is complete, the open view fetches again (its reports were partial).
  const notice = createHistoryNotice(api, i18n, () => {
    void fleet.refresh();
    route(true);
  });
  const shell = renderShell(root, { me, access, i18n, alerts, notice: notice.element, onSignOut: () => signOut(), onLocale: switchLocale });
  signedIn = { token, me, shell, ctx, stopNotice: notice.stop };
  window.addEventListener('hashchange', onHashChange);
  route();
}

const onHashChange = (): void => route();

function route(remount = false): void {
  if (!signedIn) return;
  const { view: requested, query } = currentRoute();
  const view = resolveView(signedIn.ctx.access, requested);
  if (view === undefined) {
    signedIn.shell.main.replaceChildren(h('div', { class: 'state state-error' }, i18n.t('nav.noView')));
    return;
  }
  if (view !== requested) {
    // Not allowed or not given: go to the role's home (replace: Back should not bounce here).
    location.replace(`#/${view}`);
    return;
  }
  if (remount && signedIn.view?.name !== view) return;
  signedIn.view?.mounted.unmount();
  signedIn.shell.setActive(view);
  signedIn.shell.main.replaceChildren();
  if (!remount) window.scrollTo(0, 0);
  signedIn.view = { name: view, mounted: MOUNTS[view](signedIn.shell.main, signedIn.ctx, query) };
}

async function boot(): Promise<void> {
  const token = session.token();
  if (token === null) return signOut();
  try {
    start(token, await new Api(token).get<Me>('/api/v1/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut((t) => t.t('signin.ended'));
    // The server is unreachable or failing: keep the token and offer to try again.
    root.replaceChildren(h('div', { class: 'signin' }, h('div', { class: 'signin-card' }, errorState(i18n, describeError(error, i18n), () => void boot()))));
  }
}

void boot();
