// The benchmark's baseline: the indexer's own config and sources, with handlers that do nothing (src/index.ts).
export { default } from "../../ponder.config";
