import { describe, expect, it } from 'vitest';
import { presetRange, rangeFromSearch, searchFromRange } from './range';

describe('range', () => {
  it('computes presets on UTC days, months included', () => {
    expect(presetRange('7d', '2026-03-02')).toEqual({ from: '2026-02-24', to: '2026-03-02' });
    expect(presetRange('this-month', '2026-03-02')).toEqual({
      from: '2026-03-01',
      to: '2026-03-02',
    });
    expect(presetRange('last-month', '2026-03-02')).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(presetRange('last-month', '2026-01-15')).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
    });
  });

  it('reads the URL and falls back to 30 days on anything malformed', () => {
    const today = '2026-11-22';
    expect(
      rangeFromSearch(
        new URLSearchParams('range=custom&from=2026-11-01&to=2026-11-03&provider=fal'),
        today,
      ),
    ).toEqual({
      preset: 'custom',
      from: '2026-11-01',
      to: '2026-11-03',
      provider: 'fal',
    });
    expect(
      rangeFromSearch(new URLSearchParams('range=custom&from=2026-02-30&to=2026-03-03'), today),
    ).toEqual({
      preset: '30d',
      from: '2026-10-24',
      to: today,
      provider: null,
    });
    expect(rangeFromSearch(new URLSearchParams('range=bogus'), today).preset).toBe('30d');
  });

  it('writes presets by name only, so a bookmark follows the calendar', () => {
    const params = searchFromRange(
      { preset: '7d', from: '2026-11-16', to: '2026-11-22', provider: null },
      new URLSearchParams('from=x&to=y&other=1'),
    );
    expect(params.toString()).toBe('other=1&range=7d');
  });
});
