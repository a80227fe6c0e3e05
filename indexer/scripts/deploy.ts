/**
 * Deploys the test contracts to a local chain and sends transactions to them, from ganache's unlocked accounts.
 * Returns the addresses in the shape of src/addresses.ts, so the indexer reads a local deployment exactly as it reads
 * mainnet's Chainlog.
 */
import { encodeDeployData, encodeFunctionData, stringToHex, type Abi, type Hex } from "viem";
import type { LocalChain } from "./chain";
import { readBuild, type Artifact } from "./compile";
import type { MakerAddresses } from "../src/addresses";

type Address = `0x${string}`;

export const ilkId = (name: string): Hex => stringToHex(name, { size: 32 });

export class Deployer {
  readonly artifacts: Record<string, Artifact>;
  accounts: Address[] = [];

  constructor(readonly chain: LocalChain) {
    this.artifacts = readBuild().contracts;
  }

  async init(): Promise<this> {
    this.accounts = await this.chain.rpc<Address[]>("eth_accounts");
    return this;
  }

  async deploy(contract: string, args: unknown[] = [], from = this.accounts[0]): Promise<Address> {
    const { abi, bytecode } = this.artifacts[contract];
    const data = encodeDeployData({ abi: abi as Abi, bytecode, args });
    const receipt = await this.transact({ from, data, gas: "0x1c9c380" });
    return receipt.contractAddress as Address;
  }

  /** Sends one call and waits for its receipt; a revert throws with the function's name. */
  async send(contract: string, to: Address, functionName: string, args: unknown[] = [], from = this.accounts[0]) {
    const data = encodeFunctionData({ abi: this.artifacts[contract].abi as Abi, functionName, args });
    return this.transact({ from, to, data, gas: "0x2faf080" }, `${contract}.${functionName}`);
  }

  private async transact(tx: Record<string, string>, what = "deploy") {
    const hash = await this.chain.rpc<Hex>("eth_sendTransaction", [tx]);
    const receipt = await this.chain.rpc<{ status: Hex; contractAddress: Address | null; blockNumber: Hex }>("eth_getTransactionReceipt", [hash]);
    if (receipt.status !== "0x1") throw new Error(`${what} reverted`);
    return receipt;
  }
}

/** The Maker core on a local chain: two collateral types, ETH-A and WBTC-A, each with a price feed and a Clipper. */
export async function deployMaker(d: Deployer): Promise<MakerAddresses & { pips: Record<string, Address>; vow: Address }> {
  const vow = d.accounts[7];
  const vat = await d.deploy("Vat");
  const spot = await d.deploy("Spotter", [vat]);
  const jug = await d.deploy("Jug", [vat, vow]);
  const dog = await d.deploy("Dog", [vat, vow]);
  const end = await d.deploy("End", [vat, spot, vow]);
  const chief = await d.deploy("Chief");
  const polling = await d.deploy("PollingEmitter");
  const clippers: Record<string, Address> = {};
  const pips: Record<string, Address> = {};
  for (const ilk of ["ETH-A", "WBTC-A", "UNKNOWN-A"]) {
    pips[ilk] = await d.deploy("Pip");
    if (ilk !== "UNKNOWN-A") clippers[ilk] = await d.deploy("Clipper", [spot, ilkId(ilk)]);
  }
  return { chainId: d.chain.chainId, source: "local deployment (indexer/scripts/deploy.ts)", date: "", startBlock: 0, vat, spot, jug, dog, end, chief, polling, clippers, pips, vow };
}
