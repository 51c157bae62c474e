import type { CheckboxProps } from '@mui/material';
import { defaultDarkTheme, defaultLightTheme, type RaThemeOptions } from 'react-admin';

type CheckboxOwnerState = CheckboxProps & { 'aria-label'?: string };

// react-admin names a row's selection checkbox with `<Checkbox aria-label="Select this row">`,
// which MUI puts on its wrapper <span> (no role, so the name is prohibited there) while the
// <input> a screen reader reaches stays unnamed (axe: aria-prohibited-attr and label). For
// every checkbox given an aria-label, move it to the input; a label given through
// inputProps / slotProps.input (the select-all box does that) is kept as it is.
const MuiCheckbox = {
  defaultProps: {
    slotProps: {
      root: (owner: CheckboxOwnerState) => (owner['aria-label'] ? { 'aria-label': undefined } : {}),
      input: (owner: CheckboxOwnerState) => ({
        ...owner.inputProps,
        'aria-label': owner.inputProps?.['aria-label'] ?? owner['aria-label'],
      }),
    },
  },
};

// MUI's spinner is role="progressbar" with no name; react-admin's top-bar LoadingIndicator and
// its Loading page render it bare (axe: aria-progressbar-name). A named default covers every one.
const MuiCircularProgress = { defaultProps: { 'aria-label': 'Loading' } };
// The same for the bar: a ReferenceField shows one in every row while its records load.
const MuiLinearProgress = { defaultProps: { 'aria-label': 'Loading' } };

// Dense tables and a narrower sidebar: support works through long lists on a laptop screen.
// Each theme keeps react-admin's own component overrides (the dark form toolbar is dark).
const components = {
  MuiCheckbox,
  MuiCircularProgress,
  MuiLinearProgress,
  RaDatagrid: { styleOverrides: { root: { '& .RaDatagrid-headerCell': { fontWeight: 600 } } } },
};
const sidebar = { width: 220, closedWidth: 50 };

// Every colour that carries text meets WCAG AA (4.5:1) against the paper it sits on: the top
// bar is the secondary colour with white text; chips and text buttons use the status colours
// on white (MUI's defaults give 3.1–4.3:1 for warning, info and the old teal).
export const lightTheme: RaThemeOptions = {
  ...defaultLightTheme,
  sidebar,
  components: { ...defaultLightTheme.components, ...components },
  palette: {
    mode: 'light',
    primary: { main: '#3949ab' }, // 7.7:1 on white
    secondary: { main: '#00796b' }, // 5.3:1 under white text (was #00897b, 4.3:1)
    info: { main: '#0277bd' }, // 4.8:1 (MUI's #0288d1: 3.9:1)
    warning: { main: '#b45309' }, // 5.0:1 (MUI's #ed6c02: 3.1:1)
    error: { main: '#b71c1c' }, // 6.6:1; 5.2:1 on the form toolbar's grey (#e0e0e0)
    success: { main: '#2e7d32' }, // 5.1:1
  },
};

export const darkTheme: RaThemeOptions = {
  ...defaultDarkTheme,
  sidebar,
  components: {
    ...defaultDarkTheme.components,
    ...components,
    // grey[900] under the form's buttons, so text buttons (Delete) keep 4.5:1 on it.
    RaToolbar: { styleOverrides: { root: { backgroundColor: '#212121' } } },
  },
  palette: {
    mode: 'dark',
    primary: { main: '#9fa8da' },
    secondary: { main: '#80cbc4' },
    error: { main: '#ef9a9a' }, // 7.5:1 on the toolbar, 8.7:1 on the page (MUI's #f44336: 4.4:1)
  },
};
