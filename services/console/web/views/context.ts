/** What every view gets, and what it gives back: a way to leave cleanly (timers, listeners, maps). */
import type { Me } from '../../../../shared/contracts/index.ts';
import type { Access } from '../../core/access.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import type { ConsoleConfig } from '../../core/page.ts';
import type { AlertStream } from '../alert-stream.ts';
import type { Api } from '../api.ts';
import type { FleetFeed } from '../fleet-feed.ts';

export interface ViewContext {
  api: Api;
  access: Access;
  me: Me;
  config: ConsoleConfig;
  /** The chosen language's messages and formats (district time); views take every visible string from it. */
  i18n: I18n;
  fleet: FleetFeed;
  /** Null when the role may not read alerts. */
  alerts: AlertStream | null;
}

export interface MountedView {
  unmount(): void;
}

export type ViewMount = (root: HTMLElement, ctx: ViewContext, query: string) => MountedView;
