import type { Component } from '../lib/component';
import { kubernetes } from './kubernetes';
import { minio } from './minio';
import { mlflow } from './mlflow';
import { oidc } from './oidc';
import { postgres } from './postgres';
import { prometheus } from './prometheus';
import { simulator } from './simulator';

/** Every component of the local platform; `up` orders them by their dependencies. */
export const COMPONENTS: Component[] = [postgres, oidc, kubernetes, minio, mlflow, simulator, prometheus];

export function inDependencyOrder(components: Component[] = COMPONENTS): Component[] {
  const byName = new Map(components.map((c) => [c.name, c]));
  const ordered: Component[] = [];
  const visiting = new Set<string>();
  const visit = (component: Component) => {
    if (ordered.includes(component)) return;
    if (visiting.has(component.name)) throw new Error(`dependency cycle at ${component.name}`);
    visiting.add(component.name);
    for (const dependency of component.dependsOn) {
      const found = byName.get(dependency);
      if (!found) throw new Error(`${component.name} depends on unknown component ${dependency}`);
      visit(found);
    }
    ordered.push(component);
  };
  components.forEach(visit);
  return ordered;
}
