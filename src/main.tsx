import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// The first render as a transition: React works on it in slices of a few milliseconds with
// paint and input let through between them (an urgent first render is one task, however big);
// index.html's shell stays on screen until it is done.
startTransition(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
