/**
 * Kubernetes resource quantities ("8", "500m", "64Gi", "1e3") as numbers. Pure.
 * The grammar is the API server's: a signed decimal number with an optional binary-SI suffix
 * (Ki … Ei), decimal-SI suffix (n, u, m, k, M, G, T, P, E) or decimal exponent (e3, E-2).
 */
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const FACTORS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The quantity's value; throws on text that is not a Kubernetes quantity. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') {
    if (!Number.isFinite(quantity)) throw new Error(`${quantity} is not a Kubernetes quantity`);
    return quantity;
  }
  const match = QUANTITY.exec(quantity.trim());
  if (!match) throw new Error(`"${quantity}" is not a Kubernetes quantity`);
  const value = Number(match[1]);
  const suffix = match[2];
  if (!suffix) return value;
  if (suffix[0] === 'e' || suffix[0] === 'E') return value * 10 ** Number(suffix.slice(1));
  return value * FACTORS[suffix]!;
}

/** Like parseQuantity, but 0 for absent and undefined for text that is not a quantity. */
export function quantityOrZero(quantity: string | number | undefined): number | undefined {
  if (quantity === undefined) return 0;
  try {
    return parseQuantity(quantity);
  } catch {
    return undefined;
  }
}
