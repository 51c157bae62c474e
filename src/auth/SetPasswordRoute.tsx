import { useEffect } from 'react';
import { Alert, AlertTitle, Button, Stack } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { ForgotPasswordPage, SetPasswordPage } from 'ra-supabase';
import { Link, useSearchParams } from 'react-router-dom';

// GoTrue's codes for a link that can no longer be used: spent, expired or never issued (it
// does not tell these apart, and neither can we).
const SPENT = new Set(['otp_expired', 'otp_disabled', 'flow_state_expired', 'bad_jwt']);

/**
 * Where recovery and invite links land (see authLinks.ts): ra-supabase's set-password form,
 * or, when the link was already used or has expired, a sentence saying so and a way to ask
 * for a new one.
 */
export function SetPasswordRoute() {
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  // ra-supabase answers "no permissions" while this page is open, and react-admin keeps that
  // answer: the app would greet the person who has just chosen a password with the no-access
  // page. Leaving the page (to the app, or back to sign-in) asks again.
  useEffect(() => () => void queryClient.resetQueries({ queryKey: ['auth'] }), [queryClient]);
  const errorCode = params.get('error_code');
  if (!errorCode) return <SetPasswordPage />;
  const spent = SPENT.has(errorCode);
  return (
    <SetPasswordPage>
      <Stack spacing={2} sx={{ px: 2, pb: 2 }}>
        <Alert severity="warning" role="alert">
          <AlertTitle>
            {spent ? 'This link has expired or was already used' : 'This link did not work'}
          </AlertTitle>
          {spent
            ? 'Each link works once, within an hour. Ask for a new one below; your password has not changed.'
            : `${params.get('error_description') ?? errorCode}. Your password has not changed.`}
        </Alert>
        <Button variant="contained" component={Link} to={ForgotPasswordPage.path}>
          Send a new link
        </Button>
        <Button component={Link} to="/login">
          Back to sign-in
        </Button>
      </Stack>
    </SetPasswordPage>
  );
}
