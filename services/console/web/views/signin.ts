/** Sign-in with an API token: the admin creates one per person (POST /api/v1/tokens). */
import { h } from '../dom.ts';
import { logo } from '../shell.ts';

export function renderSignIn(root: HTMLElement, options: { message?: string; onSubmit: (token: string) => Promise<string | null> }): void {
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
  const button = h('button', { class: 'btn btn-primary btn-block', type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'signin-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        button.disabled = true;
        button.textContent = 'Signing in…';
        const problem = await options.onSubmit(token);
        if (problem === null) return;
        error.textContent = problem;
        error.hidden = false;
        button.disabled = false;
        button.textContent = 'Sign in';
        input.select();
      },
    },
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'hint' }, 'Your administrator creates a token for you. It stays in this browser tab only and is forgotten when you close it.'),
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
        h('div', { class: 'signin-brand' }, logo(44), h('div', null, h('h1', null, 'BinPulse'), h('p', null, '天宁区智慧回收监管平台'))),
        h('p', { class: 'signin-lead' }, 'Smart recycling boxes and street camera points of Tianning District, Changzhou.'),
        form,
      ),
      h('p', { class: 'signin-foot' }, '常州市天宁区城市管理局 · City Management Bureau, Tianning District'),
    ),
  );
  input.focus();
}
