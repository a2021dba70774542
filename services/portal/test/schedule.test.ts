// "Schedule for…": a wall-clock time picked in the browser's time zone becomes the API's notBefore.
import { describe, expect, it } from 'vitest';
import { scheduleFromLocal } from '../web/src/features/licenses/schedule.ts';

const now = new Date(2026, 5, 15, 12, 0); // local time, as the browser's input is

describe('scheduleFromLocal', () => {
  it('reads a datetime-local value in the local time zone as a UTC instant', () => {
    expect(scheduleFromLocal('2026-07-01T06:00', now)).toEqual({
      kind: 'ok',
      notBefore: new Date(2026, 6, 1, 6, 0).toISOString(),
    });
    expect(scheduleFromLocal('2026-06-15T12:01', now)).toMatchObject({ kind: 'ok' });
  });

  it('says what is wrong with a time the API would not schedule', () => {
    expect(scheduleFromLocal('', now)).toEqual({ kind: 'empty' });
    expect(scheduleFromLocal('soon', now)).toEqual({ kind: 'invalid' });
    expect(scheduleFromLocal('2026-06-15T12:00', now)).toEqual({ kind: 'past' });
    expect(scheduleFromLocal('2026-09-13T12:00', now)).toMatchObject({ kind: 'ok' });
    expect(scheduleFromLocal('2026-09-14T12:01', now)).toEqual({ kind: 'tooFar' });
  });
});
