// Ponder's loop alone: the same blocks and events as the indexer, every handler empty.
import { ponder } from "ponder:registry";

ponder.on("MakerNotes:block", async () => {});
ponder.on("Spot:Poke", async () => {});
ponder.on("Dog:Bark", async () => {});
ponder.on("Clipper:Kick", async () => {});
ponder.on("PollingEmitter:Voted", async () => {});
