/**
 * The indexer image knows Maker's addresses on mainnet only (the Chainlog's, indexer/src/addresses.ts); on another
 * chain its worker needs the deployment's address book in `worker.env.MAKER_ADDRESSES`, or it exits at start. An
 * indexer of that image without one is planned with its workers held at 0 replicas, and the plan says why.
 */
import type { Chain } from "../components/ethereum-node/catalog";
import type { IndexerConfig } from "./config-indexers";

export const BUILT_IN_ADDRESS_BOOKS: readonly Chain[] = ["mainnet"];
const MAKER_INDEXER_IMAGE = /\/core-unit-estate-indexer:/;

export interface AddressBookGap {
  readonly indexer: string;
  readonly key: string;
  readonly message: string;
}

export function addressBookGap(indexer: Pick<IndexerConfig, "name" | "chain" | "worker" | "deployments">, namespace = "core-unit-estate"): AddressBookGap | undefined {
  if (BUILT_IN_ADDRESS_BOOKS.includes(indexer.chain) || indexer.worker.env.MAKER_ADDRESSES !== undefined) return undefined;
  if (!indexer.deployments.some((d) => MAKER_INDEXER_IMAGE.test(d.image))) return undefined;
  const key = `${namespace}:indexers.${indexer.name}.worker.env.MAKER_ADDRESSES`;
  return {
    indexer: indexer.name,
    key,
    message:
      `${key} is not set: the indexer knows Maker's addresses on ${BUILT_IN_ADDRESS_BOOKS.join(", ")} only, and Maker/Sky has no public ` +
      `deployment with a Chainlog on ${indexer.chain}. Its workers are planned with 0 replicas (they would exit at start) and its read API ` +
      `has no schema to serve until the key names a deployment's address book (docs/indexer-app.md, "Limits").`,
  };
}

export function addressBookGaps(indexers: readonly IndexerConfig[]): AddressBookGap[] {
  return indexers.flatMap((i) => addressBookGap(i) ?? []);
}
