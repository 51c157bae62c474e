// Types for keys.mjs (plain ESM so the stack runs on Node alone, without a build step).
export declare const JWT_SECRET: string;
export declare const ANON_KEY: string;
export declare const SERVICE_ROLE_KEY: string;
export declare const DEMO_PASSWORD: string;
export declare const DEMO_EMAILS: {
  readonly admin: 'admin@creditdesk.dev';
  readonly support: 'support@creditdesk.dev';
  readonly finance: 'finance@creditdesk.dev';
  readonly customer: 'customer@creditdesk.dev';
};
export type DemoRole = 'admin' | 'support' | 'finance';
export interface DemoLogin {
  email: string;
  role: DemoRole | null;
}
export declare const DEMO_LOGINS: readonly DemoLogin[];
