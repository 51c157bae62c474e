import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { raSupabaseEnglishMessages } from 'ra-supabase-language-english';
import { mergeTranslations } from 'react-admin';

// react-admin's and ra-supabase's English (so no raw `ra-supabase.auth.…` key reaches the
// screen), then ours: success messages that name what changed instead of "Element updated".
const creditDeskMessages = {
  'ra-supabase': {
    auth: {
      // Shown after "Reset password" is asked for: nothing is reset yet, and the answer
      // must not tell whether the address has an account.
      password_reset:
        'If an account exists for this email, a link to choose a new password is on its way. It works once, within an hour.',
      // The set-password page opened without a link's tokens (typed in, or a link cut short).
      missing_tokens:
        'This page opens from the link in a password email. Ask for a new link from the sign-in page.',
    },
  },
  resources: {
    customers: { notifications: { updated: 'Customer profile saved' } },
    feedback: {
      notifications: {
        updated: 'Feedback triage saved |||| %{smart_count} feedback items updated',
      },
    },
    runtime_config: { notifications: { updated: 'Runtime config value saved' } },
    app_config: { notifications: { updated: 'App config value saved' } },
  },
};

export const i18nProvider = polyglotI18nProvider(
  () => mergeTranslations(englishMessages, raSupabaseEnglishMessages, creditDeskMessages),
  'en',
  { allowMissing: true },
);
