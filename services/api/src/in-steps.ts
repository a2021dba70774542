import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Runs a computation written as a generator (see `previewJobSteps`), letting the event loop serve
 * other requests between its steps, so one partner's large preview does not hold every other request
 * until it is done.
 */
export async function inSteps<T>(steps: Generator<void, T, void>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    await nextTurn();
    step = steps.next();
  }
  return step.value;
}
