import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config.ts';

describe('CONSOLE_TILE_URL', () => {
  it('is unset by default: the console map draws no tiles and works offline', () => {
    expect(loadConfig({}).CONSOLE_TILE_URL).toBeUndefined();
  });

  it.each(['https://tile.openstreetmap.org/{z}/{x}/{y}.png', 'http://10.0.0.5:8081/tiles/{z}/{x}/{y}.png', 'https://{s}.tiles.example.com/{z}/{y}/{x}@2x.png'])('accepts %s', (url) => {
    expect(loadConfig({ CONSOLE_TILE_URL: url }).CONSOLE_TILE_URL).toBe(url);
  });

  it.each(['tile.openstreetmap.org/{z}/{x}/{y}.png', 'ftp://tiles/{z}/{x}/{y}.png', 'https://tile.openstreetmap.org/{z}/{x}.png'])('refuses %s, naming the variable', (url) => {
    expect(() => loadConfig({ CONSOLE_TILE_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ CONSOLE_TILE_URL: url })).toThrow(/CONSOLE_TILE_URL: an http\(s\) tile URL template with \{z\}, \{x\} and \{y\}/);
  });
});
