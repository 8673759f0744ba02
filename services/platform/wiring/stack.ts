/** What start-up added, stopped in reverse order. */
export type Stack = (() => Promise<void> | void)[];
