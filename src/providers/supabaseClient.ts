import { createClient } from '@supabase/supabase-js';
import type { Database } from '@/types/database';
import { detectSessionInUrl, routePasswordLink } from '@/auth/authLinks';
import { supabaseAnonKey, supabaseUrl } from './env';

// Before the client exists: a recovery or invite link becomes the set-password route, and the
// client is told to leave those links' sessions alone (see authLinks.ts).
if (typeof window !== 'undefined') routePasswordLink();

export const supabaseClient = createClient<Database>(supabaseUrl, supabaseAnonKey, {
  auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl },
});

export type CreditDeskSupabaseClient = typeof supabaseClient;
