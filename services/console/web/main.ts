/**
 * The console's entry point: sign in with a token, ask /api/v1/me what it may do, then show the
 * views of that role under #/<view>. A 401 from any call returns to sign-in.
 */
import 'leaflet/dist/leaflet.css';
import './console.css';
import type { Me } from '../../../shared/contracts/index.ts';
import { resolveView, type Access, type ConsoleView } from '../core/access.ts';
import { AlertStream } from './alert-stream.ts';
import { Api, ApiError, describeError } from './api.ts';
import { readConfig } from './config.ts';
import { h } from './dom.ts';
import { FleetFeed } from './fleet-feed.ts';
import { currentRoute } from './router.ts';
import { session } from './session.ts';
import { renderShell, type Shell } from './shell.ts';
import { errorState } from './widgets.ts';
import type { MountedView, ViewContext, ViewMount } from './views/context.ts';
import { mountHealth } from './views/health.ts';
import { mountOperations } from './views/operations.ts';
import { renderSignIn } from './views/signin.ts';
import { mountTonnage } from './views/tonnage.ts';

const MOUNTS: Record<ConsoleView, ViewMount> = { operations: mountOperations, health: mountHealth, tonnage: mountTonnage };
const config = readConfig();
const root = document.getElementById('app')!;

let signedIn: { shell: Shell; ctx: ViewContext; view?: { name: ConsoleView; mounted: MountedView } } | undefined;

function signOut(message?: string): void {
  if (signedIn) {
    signedIn.view?.mounted.unmount();
    signedIn.ctx.alerts?.stop();
    signedIn.ctx.fleet.stop();
    signedIn.shell.destroy();
    signedIn = undefined;
  }
  session.clear();
  window.removeEventListener('hashchange', route);
  document.title = 'Sign in · BinPulse';
  renderSignIn(root, { ...(message !== undefined && { message }), onSubmit: signIn });
}

/** Checks a token with /me; null when signed in, otherwise what to tell the user. */
async function signIn(token: string): Promise<string | null> {
  try {
    const me = await new Api(token).get<Me>('/api/v1/me');
    session.save(token);
    start(token, me);
    return null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'This token is not valid or has been revoked. Ask your administrator for a new one.';
    return describeError(error);
  }
}

function start(token: string, me: Me): void {
  const api = new Api(token, () => signOut('Your session has ended: the token is no longer valid. Sign in again.'));
  const access: Access = { role: me.role, permissions: me.permissions };
  const alerts = access.permissions.includes('alerts:read') ? new AlertStream(api) : null;
  alerts?.start();
  const ctx: ViewContext = { api, access, me, config, fleet: new FleetFeed(api), alerts };
  const shell = renderShell(root, { me, access, utcOffsetMinutes: config.utcOffsetMinutes, alerts, onSignOut: () => signOut() });
  signedIn = { shell, ctx };
  window.addEventListener('hashchange', route);
  route();
}

function route(): void {
  if (!signedIn) return;
  const { view: requested, query } = currentRoute();
  const view = resolveView(signedIn.ctx.access, requested);
  if (view === undefined) {
    signedIn.shell.main.replaceChildren(h('div', { class: 'state state-error' }, "This token's role has no view in the console."));
    return;
  }
  if (view !== requested) {
    // Not allowed or not given: go to the role's home (replace: Back should not bounce here).
    location.replace(`#/${view}`);
    return;
  }
  signedIn.view?.mounted.unmount();
  signedIn.shell.setActive(view);
  signedIn.shell.main.replaceChildren();
  window.scrollTo(0, 0);
  signedIn.view = { name: view, mounted: MOUNTS[view](signedIn.shell.main, signedIn.ctx, query) };
}

async function boot(): Promise<void> {
  const token = session.token();
  if (token === null) return signOut();
  try {
    start(token, await new Api(token).get<Me>('/api/v1/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signOut('Your session has ended. Sign in again.');
    // The server is unreachable or failing: keep the token and offer to try again.
    root.replaceChildren(h('div', { class: 'signin' }, h('div', { class: 'signin-card' }, errorState(describeError(error), () => void boot()))));
  }
}

void boot();
