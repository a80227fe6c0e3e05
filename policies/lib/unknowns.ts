/**
 * Values unknown during `pulumi preview`. The policy server hands rules their props wrapped in the SDK's
 * `unknownCheckingProxy`: reading an unknown throws `UnknownValueError`, which the server reports as "can't run
 * policy during preview" at advisory level. Rules that must fail closed catch it here instead.
 */
interface ProxyModule {
  UnknownValueError: new (...args: never[]) => Error;
  unknownCheckingProxy<T>(value: T): T;
  unknownStringValue: string;
  unknownObjectValue: string;
}
// The SDK exports these from its index but their typings are stripped (@internal); this file alone loads them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy: ProxyModule = require("@pulumi/policy/proxy");

export const unknownCheckingProxy = proxy.unknownCheckingProxy;

/** The sentinels the engine sends for values not known until deployment, as tests need them. */
export const UNKNOWN = { string: proxy.unknownStringValue, object: proxy.unknownObjectValue } as const;

export function isUnknownValueError(err: unknown): err is Error {
  return err instanceof proxy.UnknownValueError;
}

export type Known<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly reason: string };

/** Runs `read`; an unknown value met on the way becomes `{ known: false, reason }`, anything else propagates. */
export function whenKnown<T>(read: () => T): Known<T> {
  try {
    return { known: true, value: read() };
  } catch (err) {
    if (isUnknownValueError(err)) return { known: false, reason: err.message };
    throw err;
  }
}
