/**
 * One namespace per tenant, named after it. Every tenant-scoped adapter (Kubernetes, Prometheus)
 * gets its namespace here, so a tenant name can never address anything but its own namespace.
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function tenantNamespace(tenant: string): string {
  if (tenant.length > 63 || !DNS_LABEL.test(tenant)) {
    throw new Error(`"${tenant}" is not a tenant name (a tenant's name is its Kubernetes namespace, a DNS label)`);
  }
  return tenant;
}

/** An object name in a namespace (a DNS subdomain). */
export const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Object names are checked before they become part of a URL or a query. */
export function checkObjectName(kind: string, name: string): string {
  if (name.length > 253 || !OBJECT_NAME.test(name)) {
    throw new Error(`"${name}" is not a valid ${kind} name`);
  }
  return name;
}
