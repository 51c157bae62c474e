import type { ReactNode } from 'react';
import { render, screen, type RenderResult } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { Admin } from 'react-admin';
import type { RequestHandler } from 'msw';
import { App } from '@/App';
import { supabaseClient } from '@/providers/supabaseClient';
import { dataProvider } from '@/providers/dataProvider';
import { authProvider } from '@/providers/authProvider';
import { Layout } from '@/layout/Layout';
import { server } from './server';
import { DEMO_PASSWORD, setAuthUser, userFor, type FakeUser, type HarnessRole } from './auth';

export interface RenderOptions {
  /** The whoami() role of the signed-in user; null = signed in but not staff. Default 'admin'. */
  role?: HarnessRole;
  /** false renders the app signed out (the login page). Default true. */
  signedIn?: boolean;
  /** msw handlers for this test (table(), rpc(), http.*); they win over the defaults. */
  handlers?: RequestHandler[];
  /** Route inside the app, e.g. '/customers/c-1/show'. Default '/'. */
  initialPath?: string;
  email?: string;
}

export interface Rendered extends RenderResult {
  user: FakeUser;
}

async function prepare(options: RenderOptions): Promise<FakeUser> {
  const user = userFor(options.role === undefined ? 'admin' : options.role, options.email);
  setAuthUser(user);
  if (options.handlers?.length) server.use(...options.handlers);
  if (options.signedIn !== false) {
    // The real supabase-js sign-in against the fake GoTrue: the session lands in localStorage
    // exactly as after a real sign-in, so the app starts signed in.
    const { error } = await supabaseClient.auth.signInWithPassword({
      email: user.email,
      password: DEMO_PASSWORD,
    });
    if (error) throw error;
  }
  return user;
}

/** Renders the real App (all resources, menu, layout) in a MemoryRouter at initialPath. */
export async function renderApp(options: RenderOptions = {}): Promise<Rendered> {
  const user = await prepare(options);
  const result = render(
    <MemoryRouter initialEntries={[options.initialPath ?? '/']}>
      <App />
    </MemoryRouter>,
  );
  return { ...result, user };
}

/**
 * Renders an <Admin> with the real providers and layout but only the given <Resource>s, for
 * testing one resource before (or without) App registering it.
 */
export async function renderResource(
  resources: ReactNode,
  options: RenderOptions = {},
): Promise<Rendered> {
  const user = await prepare(options);
  const result = render(
    <MemoryRouter initialEntries={[options.initialPath ?? '/']}>
      <Admin dataProvider={dataProvider} authProvider={authProvider} layout={Layout}>
        {resources}
      </Admin>
    </MemoryRouter>,
  );
  return { ...result, user };
}

/** Waits for react-admin to finish its first load (the app bar's user menu is there). */
export async function waitForApp() {
  await screen.findByLabelText(/profile/i, {}, { timeout: 10_000 });
}
