import { describe, expect, it } from 'vitest';
import { expandDayBounds, expandVirtualFilters, foldRanges } from './listFilters';

describe('list filters', () => {
  it('folds two operators on one column into one and=(...)', () => {
    expect(foldRanges({ status: 'failed', 'created_at@gte': 'A', 'created_at@lte': 'B' })).toEqual({
      status: 'failed',
      '@and': { 'created_at@gte': 'A', 'created_at@lte': 'B' },
    });
    expect(foldRanges({ 'created_at@gte': 'A', q: '' })).toEqual({ 'created_at@gte': 'A' });
  });

  it('turns "expiring within 14 days" into a window from now', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(
      expandVirtualFilters('customers', { expiring_within_days: 14, disabled: false }, now),
    ).toEqual({
      disabled: false,
      'expires_at@gte': '2026-03-01T00:00:00.000Z',
      'expires_at@lte': '2026-03-15T00:00:00.000Z',
    });
    expect(expandVirtualFilters('customers', { has_credits: true }, now)).toEqual({
      'credits@gt': 0,
    });
  });
});

describe('day bounds', () => {
  it('a day range is whole UTC days and includes its end day', () => {
    expect(
      expandDayBounds({ 'created_at@gte': '2026-03-03', 'created_at@lte': '2026-03-03' }),
    ).toEqual({
      'created_at@gte': '2026-03-03T00:00:00.000Z',
      'created_at@lt': '2026-03-04T00:00:00.000Z',
    });
  });

  it('leaves instants, plain equality and other values alone', () => {
    const filter = {
      'at@gte': '2026-03-03T10:00:00.000Z',
      record_id: '2026-03-03',
      'credits@gt': 0,
    };
    expect(expandDayBounds(filter)).toEqual(filter);
  });
});
