/** Ports that must never be reachable from the internet: node APIs, metrics and databases. Data, not logic. */
export interface PrivatePort {
  readonly port: number;
  readonly service: string;
}

export const PRIVATE_PORTS: readonly PrivatePort[] = [
  { port: 8545, service: "Ethereum JSON-RPC over HTTP" },
  { port: 8546, service: "Ethereum JSON-RPC over WebSocket" },
  { port: 18545, service: "Ethereum JSON-RPC over HTTP through a VM node's sync gate" },
  { port: 18546, service: "Ethereum JSON-RPC over WebSocket through a VM node's sync gate" },
  { port: 8551, service: "Engine API between execution and consensus clients" },
  { port: 5051, service: "beacon node REST API (Teku)" },
  { port: 5052, service: "beacon node REST API (Lighthouse, Nimbus)" },
  { port: 3500, service: "beacon node REST API (Prysm)" },
  { port: 6060, service: "client metrics (Geth)" },
  { port: 9001, service: "client metrics (Reth)" },
  { port: 9545, service: "client metrics (Besu)" },
  { port: 5054, service: "client metrics (Lighthouse)" },
  { port: 8008, service: "client metrics (Teku)" },
  { port: 8080, service: "client metrics (Prysm)" },
  { port: 5432, service: "PostgreSQL" },
  { port: 3306, service: "MySQL" },
];

/** Source ranges that mean "anyone on the internet". */
export const INTERNET_RANGES: readonly string[] = ["0.0.0.0/0", "::/0"];
