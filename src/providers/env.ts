// Fail at start-up with a message a deployer can act on, not deep inside supabase-js with
// "supabaseUrl is required" (a common complaint of Atomic CRM users).
function required(name: 'VITE_SUPABASE_URL' | 'VITE_SUPABASE_ANON_KEY'): string {
  const value = import.meta.env[name] as string | undefined;
  if (!value) {
    throw new Error(
      `${name} is not set. Run "npm run dev" for the embedded stack, or build with ` +
        `VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY of your Supabase project (see README).`,
    );
  }
  return value;
}

export const supabaseUrl = required('VITE_SUPABASE_URL');
export const supabaseAnonKey = required('VITE_SUPABASE_ANON_KEY');
