/**
 * The API token of this browser tab. sessionStorage, not localStorage: the token ends with the
 * tab, is not shared with other tabs, and a shared office PC does not keep it overnight.
 */
const KEY = 'binpulse.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  save: (token: string): void => sessionStorage.setItem(KEY, token),
  clear: (): void => sessionStorage.removeItem(KEY),
};
