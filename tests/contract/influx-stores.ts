/** Stores opened by a test are dropped after it: call inside a describe block. */
import { afterEach } from 'vitest';

export function storesDroppedAfterEach<Extra, Subject extends { cleanup: () => Promise<void> }>(
  freshStore: (extra?: Extra) => Promise<Subject>,
): (extra?: Extra) => Promise<Subject> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  return async (extra) => {
    const subject = await freshStore(extra);
    cleanups.push(subject.cleanup);
    return subject;
  };
}
