/**
 * A day field in the console's language: a text field showing the day as the locale writes it
 * ("2026年11月24日" / "Nov 24, 2026") and a calendar popover (month title, weekday header, days
 * after `max` disabled). The native <input type="date"> would show the browser's own format
 * instead, whatever language the console is in. Keyboard: in the field, Alt+↓ or ↓ opens the
 * calendar and Enter takes what was typed; in the calendar, arrows move by day and week, Page
 * Up/Down by month, Enter or Space chooses, Escape closes. The calendar logic is core/date-picker.ts.
 */
import { dateFormats, FIRST_DAY_OF_WEEK, isDay, monthGrid, monthOf, addMonths, moveByKey, parseTypedDay, weekdayColumns } from '../../core/date-picker.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { fill, h, s } from '../dom.ts';

export interface DatePicker {
  /** The label, the field and its calendar. */
  readonly element: HTMLElement;
  readonly value: string;
  /** Shows another day (from outside: a quick range, the URL); does not call onChange. */
  set(day: string): void;
  /** The last day that may be chosen (district today; it moves at midnight). */
  setMax(day: string): void;
  /** Removes the document listener an open calendar holds. */
  destroy(): void;
}

export function datePicker(options: { name: string; label: string; value: string; max: string; i18n: I18n; onChange: (day: string) => void }): DatePicker {
  const { i18n } = options;
  const formats = dateFormats(i18n.locale);
  const firstDay = FIRST_DAY_OF_WEEK[i18n.locale];
  let value = options.value;
  let max = options.max;
  let page = monthOf(value);
  let focused = value;

  const id = `picker-${options.name}`;
  const field = h('input', {
    type: 'text',
    id,
    name: options.name,
    class: 'datepicker-field',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-haspopup': 'dialog',
    'aria-expanded': 'false',
    'aria-controls': `${id}-calendar`,
  });
  const error = h('span', { class: 'datepicker-error', id: `${id}-error`, role: 'alert' });
  const title = h('span', { class: 'datepicker-title', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', class: 'datepicker-nav', 'data-action': 'previous-month', 'aria-label': i18n.t('tonnage.picker.previousMonth'), title: i18n.t('tonnage.picker.previousMonth') }, '‹');
  const next = h('button', { type: 'button', class: 'datepicker-nav', 'data-action': 'next-month', 'aria-label': i18n.t('tonnage.picker.nextMonth'), title: i18n.t('tonnage.picker.nextMonth') }, '›');
  const head = h(
    'tr',
    null,
    weekdayColumns(firstDay).map((weekday) => h('th', { scope: 'col', abbr: formats.weekday(weekday, 'long') }, formats.weekday(weekday, 'short'))),
  );
  const body = h('tbody');
  const grid = h('table', { class: 'datepicker-grid', role: 'grid', 'aria-labelledby': `${id}-title` }, h('thead', null, head), body);
  title.id = `${id}-title`;
  const popover = h(
    'div',
    { class: 'datepicker-popover', id: `${id}-calendar`, role: 'dialog', 'aria-modal': 'false', hidden: true },
    h('div', { class: 'datepicker-head' }, previous, title, next),
    grid,
  );
  const toggle = h(
    'button',
    { type: 'button', class: 'datepicker-toggle', tabindex: '-1', 'aria-label': i18n.t('tonnage.picker.open'), title: i18n.t('tonnage.picker.open') },
    calendarIcon(),
  );
  const element = h(
    'div',
    { class: 'range-field', 'data-picker': options.name },
    h('label', { for: id }, options.label),
    h('span', { class: 'datepicker' }, field, toggle, popover, error),
  );

  const isOpen = () => !popover.hidden;

  function showValue(): void {
    field.value = formats.field(value);
    field.dataset.day = value;
    field.setAttribute('aria-invalid', 'false');
    field.removeAttribute('aria-describedby');
    error.textContent = '';
    popover.setAttribute('aria-label', i18n.t('tonnage.picker.dialog', { field: formats.field(value) }));
  }

  function renderPage(): void {
    title.textContent = formats.month(page);
    next.disabled = addMonths(page, 1) > max;
    fill(
      body,
      // max is the district's today: the day the calendar marks as today.
      monthGrid(page, { firstDay, selected: value, today: max, max }).map((week) =>
        h(
          'tr',
          null,
          week.map((cell) =>
            h(
              'td',
              { role: 'gridcell', 'aria-selected': String(cell.selected), class: cell.inMonth ? '' : 'is-outside' },
              h(
                'button',
                {
                  type: 'button',
                  class: ['datepicker-day', cell.selected && 'is-selected', cell.today && 'is-today'].filter(Boolean).join(' '),
                  'data-day': cell.day,
                  tabindex: cell.day === focused ? '0' : '-1',
                  'aria-label': formats.full(cell.day),
                  disabled: cell.disabled,
                  'aria-current': cell.today ? 'date' : undefined,
                },
                String(Number(cell.day.slice(8))),
              ),
            ),
          ),
        ),
      ),
    );
  }

  /** Draws the page again, keeping the keyboard focus on the focused day if it was in the grid. */
  function redraw(): void {
    const hadFocus = body.contains(document.activeElement);
    renderPage();
    if (hadFocus) body.querySelector<HTMLButtonElement>(`button[data-day="${focused}"]`)?.focus();
  }

  function focusDay(day: string): void {
    focused = day;
    if (monthOf(day) !== page) {
      page = monthOf(day);
      renderPage();
    } else {
      for (const button of body.querySelectorAll<HTMLButtonElement>('button[data-day]')) button.tabIndex = button.dataset.day === day ? 0 : -1;
    }
    body.querySelector<HTMLButtonElement>(`button[data-day="${day}"]`)?.focus();
  }

  function open(): void {
    if (isOpen()) return;
    page = monthOf(value);
    focused = value;
    renderPage();
    popover.hidden = false;
    field.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', onOutside, true);
    focusDay(value);
  }

  function close(returnFocus: boolean): void {
    if (!isOpen()) return;
    popover.hidden = true;
    field.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', onOutside, true);
    if (returnFocus) field.focus();
  }

  function choose(day: string): void {
    if (!isDay(day) || day > max) return;
    const changed = day !== value;
    value = day;
    showValue();
    close(true);
    if (changed) options.onChange(day);
  }

  /** Takes what was typed; shows why not when it is not a day up to max. */
  function commitTyped(): void {
    const typed = parseTypedDay(field.value);
    if (typed !== undefined && typed <= max) return choose(typed);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', error.id);
    error.textContent =
      typed === undefined ? i18n.t('tonnage.picker.invalid', { example: formats.field(value) }) : i18n.t('tonnage.picker.afterMax', { max: formats.field(max) });
  }

  function onOutside(event: Event): void {
    if (!element.contains(event.target as Node)) close(false);
  }

  field.addEventListener('click', open);
  field.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      open();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      commitTyped();
    } else if (event.key === 'Escape') {
      showValue();
    }
  });
  field.addEventListener('change', () => field.value !== formats.field(value) && commitTyped());
  // A complete ISO day (typed, pasted, or filled in by a test) is taken at once.
  field.addEventListener('input', () => /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(field.value) && commitTyped());
  toggle.addEventListener('click', () => (isOpen() ? close(true) : open()));
  // The month buttons move the focused day with the page, so Tab from them lands in the grid. A
  // button disabled by its own click (next, reaching today's month) would drop the focus to the
  // page, out of the calendar's keys: the focused day takes it instead.
  const turn = (key: 'PageUp' | 'PageDown') => {
    focused = moveByKey(focused, key, { max })!;
    page = monthOf(focused);
    renderPage();
    if (next.disabled && document.activeElement !== previous) focusDay(focused);
  };
  previous.addEventListener('click', () => turn('PageUp'));
  next.addEventListener('click', () => turn('PageDown'));
  body.addEventListener('click', (event) => {
    const day = (event.target as Element).closest<HTMLButtonElement>('button[data-day]')?.dataset.day;
    if (day) choose(day);
  });
  popover.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
      return;
    }
    if (!(event.target as Element).matches('button[data-day]')) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      choose(focused);
      return;
    }
    const moved = moveByKey(focused, event.key, { max });
    if (moved === undefined) return;
    event.preventDefault();
    focusDay(moved);
  });
  popover.addEventListener('focusout', (event) => {
    const to = (event as FocusEvent).relatedTarget as Node | null;
    if (to !== null && !element.contains(to)) close(false);
  });

  showValue();
  return {
    element,
    get value() {
      return value;
    },
    // The view calls both on every refresh: the same day changes nothing, so a calendar being
    // browsed or a day being typed is left alone.
    set(day) {
      if (day === value) return;
      value = day;
      showValue();
      if (isOpen()) {
        page = monthOf(day);
        focused = day;
        redraw();
      }
    },
    setMax(day) {
      if (day === max) return;
      max = day;
      if (isOpen()) redraw();
    },
    destroy() {
      close(false);
    },
  };
}

/** A small calendar glyph (drawn, so no icon font or emoji varies by platform). */
function calendarIcon(): SVGSVGElement {
  return s(
    'svg',
    { viewBox: '0 0 16 16', 'aria-hidden': 'true' },
    s('rect', { x: 2, y: 3, width: 12, height: 11, rx: 1.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.4 }),
    s('path', { d: 'M2 6.5h12M5.5 1.5v3M10.5 1.5v3', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.4 }),
  );
}
