/**
 * The events and note-emitting functions of Maker's core contracts, with the signatures of the deployed code
 * (makerdao/dss: vat.sol, spot.sol, jug.sol, dog.sol, clip.sol, end.sol; ds-chief; the polling emitter).
 */
import { parseAbi } from "viem";

export const spotAbi = parseAbi(["event Poke(bytes32 ilk, bytes32 val, uint256 spot)"]);

export const dogAbi = parseAbi([
  "event Bark(bytes32 indexed ilk, address indexed urn, uint256 ink, uint256 art, uint256 due, address clip, uint256 indexed id)",
]);

export const clipperAbi = parseAbi([
  "event Kick(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin)",
  "event Take(uint256 indexed id, uint256 max, uint256 price, uint256 owe, uint256 tab, uint256 lot, address indexed usr)",
  "event Redo(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin)",
  "event Yank(uint256 id)",
]);

export const pollingAbi = parseAbi(["event Voted(address indexed voter, uint256 indexed pollId, uint256 indexed optionId)"]);

/** Vat functions whose anonymous LogNote the indexer reads (topic0 = the selector, data = the calldata). */
export const vatNoteAbi = parseAbi([
  "function init(bytes32 ilk)",
  "function file(bytes32 what, uint256 data)",
  "function file(bytes32 ilk, bytes32 what, uint256 data)",
  "function cage()",
  "function frob(bytes32 i, address u, address v, address w, int256 dink, int256 dart)",
  "function fork(bytes32 ilk, address src, address dst, int256 dink, int256 dart)",
  "function grab(bytes32 i, address u, address v, address w, int256 dink, int256 dart)",
  "function suck(address u, address v, uint256 rad)",
  "function heal(uint256 rad)",
  "function fold(bytes32 i, address u, int256 rate)",
]);

export const jugNoteAbi = parseAbi(["function drip(bytes32 ilk)"]);

export const endNoteAbi = parseAbi([
  "function cage()",
  "function cage(bytes32 ilk)",
  "function skim(bytes32 ilk, address urn)",
  "function free(bytes32 ilk)",
]);

export const chiefNoteAbi = parseAbi([
  "function lock(uint256 wad)",
  "function free(uint256 wad)",
  "function etch(address[] yays)",
  "function vote(address[] yays)",
  "function vote(bytes32 slate)",
  "function lift(address whom)",
]);
