// A resource's pages as react-admin takes them (components or elements); the lazy ones
// (src/resources/lazyPage.ts) carry `preload`.
interface ResourcePages {
  list?: unknown;
  show?: unknown;
  edit?: unknown;
  create?: unknown;
}

const preloadOf = (page: unknown) =>
  (page as { preload?: () => Promise<unknown> } | undefined)?.preload;

/**
 * The load of the page a visit opens on, from react-admin's hash route: `#/` the dashboard,
 * `#/customers` a list, `#/customers/42/show` a show, `#/customers/42` an edit,
 * `#/customers/create` a create, `#/margin` a custom page. Undefined when nothing lazy is
 * there to load. (vite.config.ts's preload script reads the same route in index.html, before
 * any module has run, so it cannot share this function.)
 */
export function landingPageLoad(
  hash: string,
  resources: Record<string, ResourcePages>,
  pages: Record<string, () => Promise<unknown>>,
): (() => Promise<unknown>) | undefined {
  const [name, id, view] = hash.replace(/^#/, '').split('?')[0].split('/').filter(Boolean);
  if (!name) return pages['/'];
  const resource = resources[name];
  if (!resource) return pages[`/${name}`];
  if (!id) return preloadOf(resource.list);
  if (id === 'create' && !view) return preloadOf(resource.create);
  return preloadOf(view === 'show' ? resource.show : view ? undefined : resource.edit);
}
