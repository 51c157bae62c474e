import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// An urgent first render, not a transition: under the mobile 4× CPU slowdown a transition
// around it made the long tasks after first paint 1.7× longer, not shorter (profile.mjs,
// bench/README.md, issue 18); the dashboard's figures are still drawn deferred, in slices.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
