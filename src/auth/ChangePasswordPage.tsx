import { Card, CardContent, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import {
  Form,
  PasswordInput,
  SaveButton,
  Title,
  required,
  useAuthProvider,
  useNotify,
  useRedirect,
} from 'react-admin';
import type { CreditDeskAuthProvider } from '@/providers/authProvider';
import { useNotifyServerError } from '@/components/useNotifyServerError';

interface Values {
  password: string;
  confirmPassword: string;
}

const validate = (values: Partial<Values>) =>
  values.password && values.confirmPassword && values.password !== values.confirmPassword
    ? { confirmPassword: 'The two passwords differ: type the same password twice.' }
    : {};

/** "Change password" from the user menu: Supabase Auth's updateUser, for the signed-in user. */
export function ChangePasswordPage() {
  const authProvider = useAuthProvider<CreditDeskAuthProvider>();
  const notify = useNotify();
  const notifyError = useNotifyServerError();
  const redirect = useRedirect();
  const mutation = useMutation({
    mutationFn: (values: Values) => authProvider!.changePassword(values.password),
    onSuccess: () => {
      notify('Password changed. Use the new one next time you sign in.', { type: 'success' });
      redirect('/');
    },
    onError: notifyError,
  });
  return (
    <Card sx={{ maxWidth: 440, mt: 2 }}>
      <Title title="Change password" />
      <CardContent>
        <Typography variant="h6" component="h1" gutterBottom>
          Change password
        </Typography>
        <Form
          onSubmit={(values: Partial<Values>) => mutation.mutate(values as Values)}
          validate={validate}
        >
          <PasswordInput
            source="password"
            label="New password"
            autoComplete="new-password"
            validate={required()}
            helperText="At least 12 characters. Your other sessions are signed out."
            fullWidth
          />
          <PasswordInput
            source="confirmPassword"
            label="Confirm new password"
            autoComplete="new-password"
            validate={required()}
            fullWidth
          />
          <SaveButton label="Change password" disabled={mutation.isPending} alwaysEnable />
        </Form>
      </CardContent>
    </Card>
  );
}
