import { Box, Typography } from '@mui/material';
import { Login } from 'react-admin';
import { LoginForm } from 'ra-supabase';

/** The product's mark: the favicon in public/, so the tab and the sign-in card show one image. */
export function BrandMark({ size = 40 }: { size?: number }) {
  return (
    <Box
      component="img"
      src={`${import.meta.env.BASE_URL}favicon.svg`}
      alt=""
      width={size}
      height={size}
      sx={{ display: 'block' }}
    />
  );
}

// ra-supabase's sign-in form on react-admin's card, with the product's name and mark in place
// of the generic lock: staff should know which back office they are signing in to.
export function LoginPage() {
  return (
    <Login
      avatarIcon={<BrandMark />}
      sx={{ '& .RaLogin-icon': { bgcolor: 'transparent', width: 56, height: 56 } }}
    >
      <Box sx={{ textAlign: 'center', px: 2 }}>
        <Typography variant="h5" component="h1">
          CreditDesk
        </Typography>
        <Typography variant="body2" color="text.secondary">
          Staff sign-in
        </Typography>
      </Box>
      <LoginForm />
    </Login>
  );
}
