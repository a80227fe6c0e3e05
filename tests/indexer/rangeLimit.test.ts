/** Which eth_getLogs errors are an endpoint's range or size limit, against providers' real messages. */
import { HttpRequestError, LimitExceededRpcError, RpcRequestError, TimeoutError } from "viem";
import { isRangeLimit } from "../../indexer/src/rangeLimit";

const rpc = (code: number, message: string) => new RpcRequestError({ body: {}, url: "http://node", error: { code, message } });

test("range and size limits narrow the ranges; rate limits, timeouts and a node behind do not", () => {
  const limits = [
    new LimitExceededRpcError(rpc(-32005, "query returned more than 10000 results")),
    rpc(-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range"),
    rpc(-32000, "exceed maximum block range: 50000"),
    rpc(-32600, "block range is too wide"),
    rpc(-32000, "eth_getLogs is limited to a 10,000 range"),
    rpc(-32000, "too many blocks requested"),
    rpc(-32000, "query exceeds max results 20000, retry with the range 1-2"),
    rpc(-32005, "limit exceeded"),
  ];
  const passing = [
    new HttpRequestError({ url: "http://node", status: 429, details: "Too Many Requests" }),
    new TimeoutError({ body: {}, url: "http://node" }),
    new LimitExceededRpcError(rpc(-32005, "daily request count exceeded, request rate limited")),
    rpc(-32602, "block range extends beyond current head block"),
    rpc(-32000, "header not found"),
    new Error("socket hang up"),
    "not an error",
  ];
  expect(limits.map(isRangeLimit)).toEqual(limits.map(() => true));
  expect(passing.map(isRangeLimit)).toEqual(passing.map(() => false));
});
