// The Supabase CLI's well-known local secret and keys (public on purpose: local only).
// Both keys verify against the secret with jose (HS256, iss supabase-demo, exp 2032).

export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

export const ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

export const SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

// The demo logins made by supabase/seed.sql (see DESIGN.md, Contract), written once for the
// stack's banner and every test project (test/support/db.ts, ui and e2e support).
export const DEMO_PASSWORD = 'creditdesk-demo';

export const DEMO_EMAILS = Object.freeze({
  admin: 'admin@creditdesk.dev',
  support: 'support@creditdesk.dev',
  finance: 'finance@creditdesk.dev',
  /** Signed in but not staff. */
  customer: 'customer@creditdesk.dev',
});

export const DEMO_LOGINS = [
  { email: DEMO_EMAILS.admin, role: 'admin' },
  { email: DEMO_EMAILS.support, role: 'support' },
  { email: DEMO_EMAILS.finance, role: 'finance' },
  { email: DEMO_EMAILS.customer, role: null },
];
