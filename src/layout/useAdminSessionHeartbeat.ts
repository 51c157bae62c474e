import { useEffect, useRef } from 'react';
import { useDataProvider, useLogout } from 'react-admin';
import type { CreditDeskDataProvider } from '@/providers/dataProvider';

export const HEARTBEAT_MS = 5 * 60 * 1000;

/**
 * Keeps the staff member's admin_sessions.last_seen_at current while the tab is in use: on
 * mount, every HEARTBEAT_MS while visible, and on coming back to a tab left for longer.
 * A 409 means the session was ended (signed out elsewhere), so this tab signs out too.
 */
export function useAdminSessionHeartbeat(enabled: boolean) {
  const dataProvider = useDataProvider<CreditDeskDataProvider>();
  const logout = useLogout();
  const lastTouch = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const touch = () => {
      lastTouch.current = Date.now();
      dataProvider.touchAdminSession().catch((error: { status?: number }) => {
        if (error?.status === 409) logout();
      });
    };
    const visible = () => document.visibilityState === 'visible';
    if (visible()) touch();
    const timer = window.setInterval(() => visible() && touch(), HEARTBEAT_MS);
    const onVisibility = () => {
      if (visible() && Date.now() - lastTouch.current >= HEARTBEAT_MS) touch();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [enabled, dataProvider, logout]);
}
