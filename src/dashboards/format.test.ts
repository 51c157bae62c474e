import { describe, expect, it } from 'vitest';
import { describeChange } from './format';

describe('change against the previous period (issue 16.12)', () => {
  it('is a percentage while the base means something', () => {
    expect(describeChange(123, 100)).toBe('+23%');
    expect(describeChange(50, 100)).toBe('-50%');
  });
  it('is the absolute change against an almost empty previous period, "new" against none', () => {
    expect(describeChange(30_334, 100)).toBe('+30,234');
    expect(describeChange(5, 0)).toBe('new');
    expect(describeChange(0, 0)).toBeNull();
  });
});
