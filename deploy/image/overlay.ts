type Config = Record<string, unknown>;

const isObject = (value: unknown): value is Config =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `over` laid onto `base`: objects merged key by key, anything else (arrays too) replaced. */
export function overlay(base: Config, over: Config): Config {
  const merged: Config = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? overlay(current, value) : value;
  }
  return merged;
}
