/** Sign-in with an API token: the admin creates one per person (POST /api/v1/tokens). */
import type { Locale } from '../../core/i18n/locale.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { h } from '../dom.ts';
import { languageSwitch, logo } from '../shell.ts';

export interface SignInOptions {
  i18n: I18n;
  message?: string;
  onSubmit: (token: string) => Promise<string | null>;
  onLocale: (locale: Locale) => void;
}

export function renderSignIn(root: HTMLElement, options: SignInOptions): void {
  const { i18n } = options;
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'bp_…',
    required: true,
    'aria-describedby': 'token-help',
  });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: !options.message }, options.message ?? '');
  const button = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, i18n.t('signin.submit'));
  const form = h(
    'form',
    {
      class: 'signin-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        button.disabled = true;
        button.textContent = i18n.t('signin.submitting');
        const problem = await options.onSubmit(token);
        if (problem === null) return;
        error.textContent = problem;
        error.hidden = false;
        button.disabled = false;
        button.textContent = i18n.t('signin.submit');
        input.select();
      },
    },
    h('label', { for: 'token' }, i18n.t('signin.tokenLabel')),
    input,
    h('p', { id: 'token-help', class: 'hint' }, i18n.t('signin.tokenHelp')),
    error,
    button,
  );
  root.replaceChildren(
    h(
      'div',
      { class: 'signin' },
      h(
        'div',
        { class: 'signin-card' },
        h('div', { class: 'signin-lang' }, languageSwitch(i18n, options.onLocale)),
        h('div', { class: 'signin-brand' }, logo(44), h('div', null, h('h1', null, i18n.t('app.name')), h('p', null, i18n.t('app.tagline')))),
        h('p', { class: 'signin-lead' }, i18n.t('app.lead')),
        form,
      ),
      h('p', { class: 'signin-foot' }, i18n.t('app.bureau')),
    ),
  );
  input.focus();
}
