import type { Row } from '../../../test/support/ui';

export function customer(overrides: Row = {}): Row {
  return {
    id: 'pass-1',
    email: 'ann@example.com',
    first_name: 'Ann',
    last_name: 'Lee',
    display_name: 'Ann Lee',
    shopify_customer_id: 'shop-77',
    credits: 120,
    expires_at: null,
    last_active: '2026-01-10T10:00:00Z',
    disabled: false,
    disabled_reason: null,
    verified_any: true,
    verified_email: true,
    verified_google: false,
    verified_apple: false,
    meta: {},
    created_at: '2025-06-01T10:00:00Z',
    ...overrides,
  };
}
