import { lazy, type ComponentType } from 'react';

/**
 * A resource's page (list, show, edit, create) loaded when its route is first opened.
 * react-admin needs every resource registered before it routes, so the dashboard's first
 * load imported and evaluated every page of every resource the role may open; with this,
 * a resource's module is only its icon, label and record representation, and react-admin's
 * layout shows its Loading fallback (a Suspense boundary) while a page's chunk arrives.
 * `preload` starts that load ahead of the route (App.tsx: the page a visit opens on).
 */
export function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return Object.assign(
    lazy(async () => ({ default: (await load())[name] })),
    { preload: load },
  );
}
