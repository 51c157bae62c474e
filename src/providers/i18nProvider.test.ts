import { describe, expect, it } from 'vitest';
import { i18nProvider } from './i18nProvider';

describe('i18n provider (issue 16.3 and 16.11)', () => {
  it("has ra-supabase's English: no raw key such as ra-supabase.auth.password_reset", () => {
    for (const key of [
      'ra-supabase.auth.password_reset',
      'ra-supabase.auth.forgot_password',
      'ra-supabase.set_password.new_password',
      'ra.notification.updated',
    ])
      expect(i18nProvider.translate(key, { smart_count: 1 })).not.toBe(key);
    expect(i18nProvider.translate('ra-supabase.auth.password_reset')).toMatch(/^If an account/);
  });

  it('names what was saved instead of "Element updated"', () => {
    expect(
      i18nProvider.translate('resources.customers.notifications.updated', { smart_count: 1 }),
    ).toBe('Customer profile saved');
    expect(
      i18nProvider.translate('resources.feedback.notifications.updated', { smart_count: 3 }),
    ).toBe('3 feedback items updated');
  });
});
