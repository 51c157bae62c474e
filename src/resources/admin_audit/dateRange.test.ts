import { describe, expect, it } from 'vitest';
import { endOfDay, startOfDay } from './dateRange';

describe('date range bounds', () => {
  it('spans the whole local day', () => {
    const from = new Date(startOfDay('2026-03-03')!);
    const to = new Date(endOfDay('2026-03-03')!);
    expect(to.getTime() - from.getTime()).toBe(24 * 60 * 60 * 1000 - 1);
    expect([from.getDate(), to.getDate()]).toEqual([3, 3]);
    expect([from.getHours(), to.getHours()]).toEqual([0, 23]);
  });

  it('clears the bound for an empty or broken date', () => {
    expect(startOfDay('')).toBeNull();
    expect(endOfDay(null)).toBeNull();
    expect(endOfDay('not-a-date')).toBeNull();
  });
});
