import type { ComponentType } from 'react';
import { lazyPage } from '../lazyPage';

// runtime_config and app_config are the same shape and workflow; the components read the
// table name from the <Resource> they are mounted under.
export function configResource(icon: ComponentType) {
  return {
    list: lazyPage(() => import('./ConfigList'), 'ConfigList'),
    show: lazyPage(() => import('./ConfigShow'), 'ConfigShow'),
    edit: lazyPage(() => import('./ConfigEdit'), 'ConfigEdit'),
    create: lazyPage(() => import('./ConfigCreate'), 'ConfigCreate'),
    icon,
    recordRepresentation: 'key',
  };
}
