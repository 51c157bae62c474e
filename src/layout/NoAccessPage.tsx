import { Box, Button, Card, CardContent, Typography } from '@mui/material';
import LockOutlinedIcon from '@mui/icons-material/LockOutlined';
import { useGetIdentity, useLogout } from 'react-admin';

// A signed-in account that is not (or no longer) enabled staff: say so plainly instead of
// showing an admin whose every list comes back empty.
export function NoAccessPage() {
  const logout = useLogout();
  const { identity } = useGetIdentity();
  return (
    <Box
      sx={{
        display: 'flex',
        justifyContent: 'center',
        alignItems: 'center',
        minHeight: '100vh',
        p: 2,
      }}
    >
      <Card sx={{ maxWidth: 480 }}>
        <CardContent sx={{ textAlign: 'center' }}>
          <LockOutlinedIcon color="warning" sx={{ fontSize: 48 }} />
          <Typography variant="h5" component="h1" gutterBottom>
            No access to CreditDesk
          </Typography>
          <Typography variant="body1" gutterBottom>
            {identity?.email ? `${identity.email} is` : 'This account is'} signed in but is not an
            enabled staff member.
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Ask a CreditDesk admin to grant you a role, then sign in again.
          </Typography>
          <Button variant="contained" onClick={() => logout()}>
            Sign out
          </Button>
        </CardContent>
      </Card>
    </Box>
  );
}
