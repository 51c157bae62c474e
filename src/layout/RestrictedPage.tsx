import { Alert, AlertTitle, Box } from '@mui/material';
import { Title } from 'react-admin';
import type { Role } from './permissions';
import type { Screen } from './screens';

const joined = (items: readonly string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** Who may open a screen, as a sentence: "This page is for admin and finance staff." */
const whoMayOpen = (screen: Screen) => `This page is for ${joined(screen.roles)} staff.`;

/**
 * A screen this role may not open, reached by its address (a bookmark, a shared link): say who
 * may open it instead of react-admin's bare "Not Found". The database refuses this role the
 * screen's data anyway; this page makes no request.
 */
export function RestrictedPage({ screen, role }: { screen: Screen; role: Role }) {
  return (
    <Box sx={{ p: 2 }}>
      <Title title={screen.label} />
      <Alert severity="info" role="alert">
        <AlertTitle>{screen.label}</AlertTitle>
        {whoMayOpen(screen)} You are signed in as {role ?? 'a non-staff account'}; ask an admin if
        you need access.
      </Alert>
    </Box>
  );
}
