import * as fs from "fs";
import { startChain, type LocalChain } from "../../indexer/scripts/chain";
import { Scenario } from "../../indexer/scripts/scenario";

/** A local chain with the test contracts and the scenario's vaults, mined past Ponder's unfinalised blocks, and its address book in `addressesFile`. */
export async function chainWithVaults(addressesFile: string): Promise<{ chain: LocalChain; s: Scenario }> {
  const chain = await startChain();
  const s = new Scenario(chain);
  await s.deploy();
  await s.openVaults();
  for (let i = 0; i < 40; i++) await chain.rpc("evm_mine", []);
  fs.writeFileSync(addressesFile, JSON.stringify(s.maker));
  return { chain, s };
}
