/** A fake node for the health sidecar's tests: both clients on one loopback HTTP server. */
import { createHash } from "crypto";
import * as http from "http";
import { AddressInfo, Socket } from "net";

export interface FakeNode {
  syncing: unknown;
  headAge: number;
  beaconStatus: number;
  peers?: number;
}

/**
 * One loopback server playing both clients: JSON-RPC on POST, the beacon health endpoint on GET; POST /echo answers
 * with the body and headers it received, and a WebSocket handshake is answered (101) and its frames recorded.
 */
export async function fakeClients(state: FakeNode): Promise<{ url: string; close: () => Promise<void>; server: http.Server }> {
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/eth/v1/node/health") {
      res.writeHead(state.beaconStatus);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.url === "/echo") {
        // Streamed back in pieces (chunked), with a hop-by-hop header (named in Connection) the gate must not pass on.
        res.writeHead(201, { "content-type": "text/plain", "x-seen-headers": JSON.stringify(req.headers), connection: "keep-alive, x-hop", "x-hop": "1" });
        for (let i = 0; i < body.length; i += 65536) res.write(body.slice(i, i + 65536));
        res.end();
        return;
      }
      const { method } = JSON.parse(body);
      if (method === "net_peerCount" && state.peers === undefined) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: -32601, message: "the method net_peerCount does not exist" } }));
        return;
      }
      const head = { number: "0x10", timestamp: `0x${Math.floor(Date.now() / 1000 - state.headAge).toString(16)}` };
      const result = method === "eth_syncing" ? state.syncing : method === "net_peerCount" ? `0x${state.peers!.toString(16)}` : head;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result }));
    });
  });
  server.on("upgrade", (req: http.IncomingMessage, socket: Socket) => {
    const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.on("data", (frame: Buffer) => {
      // Answers each client frame with an unmasked text frame naming its length.
      const text = Buffer.from(JSON.stringify({ jsonrpc: "2.0", method: "eth_subscription", params: { received: frame.length, path: req.url } }));
      socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text]));
    });
    socket.on("error", () => socket.destroy());
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Upgraded sockets included, which the HTTP server no longer counts as its own.
        for (const socket of sockets) socket.destroy();
      }),
  };
}
