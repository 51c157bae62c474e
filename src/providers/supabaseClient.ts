import { createClient } from '@supabase/supabase-js';
import type { Database } from '@/types/database';
import { supabaseAnonKey, supabaseUrl } from './env';

export const supabaseClient = createClient<Database>(supabaseUrl, supabaseAnonKey, {
  auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: true },
});

export type CreditDeskSupabaseClient = typeof supabaseClient;
