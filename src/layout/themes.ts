import { defaultDarkTheme, defaultLightTheme, type RaThemeOptions } from 'react-admin';

// Dense tables and a narrower sidebar: support works through long lists on a laptop screen.
const shared: Partial<RaThemeOptions> = {
  sidebar: { width: 220, closedWidth: 50 },
  components: {
    ...defaultLightTheme.components,
    RaDatagrid: { styleOverrides: { root: { '& .RaDatagrid-headerCell': { fontWeight: 600 } } } },
  },
};

export const lightTheme: RaThemeOptions = {
  ...defaultLightTheme,
  ...shared,
  palette: { mode: 'light', primary: { main: '#3949ab' }, secondary: { main: '#00897b' } },
};

export const darkTheme: RaThemeOptions = {
  ...defaultDarkTheme,
  ...shared,
  components: { ...defaultDarkTheme.components, ...shared.components },
  palette: { mode: 'dark', primary: { main: '#9fa8da' }, secondary: { main: '#80cbc4' } },
};
