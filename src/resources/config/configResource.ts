import type { ComponentType } from 'react';
import { ConfigCreate } from './ConfigCreate';
import { ConfigEdit } from './ConfigEdit';
import { ConfigList } from './ConfigList';
import { ConfigShow } from './ConfigShow';

// runtime_config and app_config are the same shape and workflow; the components read the
// table name from the <Resource> they are mounted under.
export function configResource(icon: ComponentType) {
  return {
    list: ConfigList,
    show: ConfigShow,
    edit: ConfigEdit,
    create: ConfigCreate,
    icon,
    recordRepresentation: 'key',
  };
}
