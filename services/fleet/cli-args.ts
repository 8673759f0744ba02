/** Option parsing shared by the fleet CLI's commands: a usage error names the option at fault. */
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/** `what` names the positional in the error, e.g. "expected one vehicle id". */
export function parse<O extends OptionSpec>(args: string[], options: O, positionalCount: number, what = 'device') {
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs says "Unknown option '--x'" or "Option '--lat <value>' argument missing".
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionalCount) {
    throw new UsageError(positionalCount === 0 ? `unexpected argument "${parsed.positionals[0]}"` : `expected one ${what} id`);
  }
  return parsed;
}

export function oneOf<T extends string>(schema: { options: readonly T[] }, option: string, value: string): T {
  if ((schema.options as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option}: expected one of ${schema.options.join(', ')}, got ${JSON.stringify(value)}`);
}

export function count(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(`${option}: expected a whole number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** A decimal number such as a latitude or a capacity; range checks are the contract's. */
export function decimal(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`${option}: expected a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** "paper,plastic" → ['paper', 'plastic']; whether they are categories is the contract's to say. */
export function list(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
