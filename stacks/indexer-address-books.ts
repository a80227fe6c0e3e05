/**
 * The indexer image knows Maker's addresses on mainnet only (the Chainlog's, indexer/src/addresses.ts); on another
 * chain its worker needs the deployment's address book in `worker.env.MAKER_ADDRESSES`, or it exits at start. An
 * indexer of that image without one is planned held (ChainIndexer with `worker.replicas: 0`: no worker pod, no
 * read-API pod, no alarm it would trip for that alone), and the plan says why and what still alarms.
 */
import { parseImage } from "../components/api-service/image";
import type { Chain } from "../components/ethereum-node/catalog";
import { THRESHOLDS } from "../components/monitoring/catalog";
import type { IndexerConfig } from "./config-indexers";

export const BUILT_IN_ADDRESS_BOOKS: readonly Chain[] = ["mainnet"];
/** The repository the project's indexer image is pushed to (ghcr.io/<owner>/core-unit-estate-indexer), by tag or digest. */
const MAKER_INDEXER_REPOSITORY = "core-unit-estate-indexer";
const isMakerIndexerImage = (image: string) => parseImage(image)?.repository === MAKER_INDEXER_REPOSITORY;

export interface AddressBookGap {
  readonly indexer: string;
  readonly key: string;
  readonly message: string;
}

type Indexer = Pick<IndexerConfig, "name" | "chain" | "worker" | "deployments">;
/** The API services whose upstream is the indexer's read API: they stay up, and what they forward fails. */
type Forwarders = readonly string[];

export function addressBookGap(indexer: Indexer, forwarders: Forwarders = [], namespace = "core-unit-estate"): AddressBookGap | undefined {
  if (BUILT_IN_ADDRESS_BOOKS.includes(indexer.chain) || indexer.worker.env.MAKER_ADDRESSES !== undefined) return undefined;
  if (!indexer.deployments.some((d) => isMakerIndexerImage(d.image))) return undefined;
  const key = `${namespace}:indexers.${indexer.name}.worker.env.MAKER_ADDRESSES`;
  const forwarded = forwarders.map(
    (s) => ` ${s} forwards to the read API: those requests fail (5xx), and its api-5xx-rate alarm fires when they pass ${THRESHOLDS.api5xxPercent.above}% of its requests.`,
  );
  return {
    indexer: indexer.name,
    key,
    message:
      `${key} is not set: the indexer knows Maker's addresses on ${BUILT_IN_ADDRESS_BOOKS.join(", ")} only, and Maker/Sky has no public ` +
      `deployment with a Chainlog on ${indexer.chain}. Until the key names a deployment's address book (docs/indexer-app.md, "Limits"), ` +
      `the indexer is held: its workers (they would exit at start) and its read API (no schema to serve) are planned with 0 replicas, the ` +
      `read API without autoscaler or disruption budget, and its indexer-not-ready alarm disabled; its database, lag exporter and their ` +
      `alarms stay on.${forwarded.join("")}`,
  };
}

/** Every gap of the estate's indexers; `upstreams` maps each API service to the indexer it forwards to, if any. */
export function addressBookGaps(indexers: readonly IndexerConfig[], upstreams: Readonly<Record<string, string | undefined>> = {}): AddressBookGap[] {
  return indexers.flatMap((i) => addressBookGap(i, Object.keys(upstreams).filter((s) => upstreams[s] === i.name)) ?? []);
}
