import { setupServer } from 'msw/node';
import { fallbackHandlers, record } from './rest';
import { authHandlers } from './auth';

// GoTrue, whoami and the empty fallbacks are initial handlers, so resetHandlers() after each
// test keeps them and drops only what the test added.
export const server = setupServer(...authHandlers, ...fallbackHandlers);

// 'request:start' sees every request once, whichever handler answers it.
server.events.on('request:start', ({ request }) => record(request));
