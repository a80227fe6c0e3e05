/** Storage sizes as the platforms write them, in GiB. */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };
const DECIMAL: Record<string, number> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** A Kubernetes quantity ("500Gi", "2Ti", "1000G") in GiB; undefined when it is not one. */
export function quantityGiB(quantity: unknown): number | undefined {
  const match = typeof quantity === "string" ? /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P|)$/.exec(quantity.trim()) : null;
  if (!match) return typeof quantity === "number" && Number.isFinite(quantity) ? quantity / 2 ** 30 : undefined;
  const unit = match[2];
  return (Number(match[1]) * (BINARY[unit] ?? DECIMAL[unit])) / 2 ** 30;
}
