// The Supabase CLI's well-known local secret and keys (public on purpose: local only).
// Both keys verify against the secret with jose (HS256, iss supabase-demo, exp 2032).

export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

export const ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

export const SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

export const DEMO_PASSWORD = 'creditdesk-demo';

/** Demo logins made by supabase/seed.sql (see DESIGN.md, Contract). */
export const DEMO_LOGINS = [
  { email: 'admin@creditdesk.dev', role: 'admin' },
  { email: 'support@creditdesk.dev', role: 'support' },
  { email: 'finance@creditdesk.dev', role: 'finance' },
  { email: 'customer@creditdesk.dev', role: null },
];
