/** The REST routes' parameters and the address book: each bad value gets one message naming it and what is allowed. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAddress, parseDay, parseIlk, parseLimit, parseStatus } from "../../indexer/src/api/params";
import { ilkOfClipper, loadAddresses, MAINNET } from "../../indexer/src/addresses";

test("limit: 1 to 1000, default 100", () => {
  expect(parseLimit(undefined)).toEqual({ ok: true, value: 100 });
  expect(parseLimit("1000")).toEqual({ ok: true, value: 1000 });
  expect(parseLimit("0")).toEqual({ ok: false, error: "limit=0: must be from 1 to 1000" });
  expect(parseLimit("1001")).toEqual({ ok: false, error: "limit=1001: must be from 1 to 1000" });
  expect(parseLimit("ten")).toEqual({ ok: false, error: "limit=ten: must be a whole number from 1 to 1000" });
});

test("address: 0x and 40 hex digits, lower-cased", () => {
  expect(parseAddress("0xFFcf8FDEE72ac11b5c542428B35EEF5769C409f0")).toEqual({ ok: true, value: "0xffcf8fdee72ac11b5c542428b35eef5769c409f0" });
  for (const bad of ["0x1234", "ffcf8fdee72ac11b5c542428b35eef5769c409f0", "0xZZcf8fdee72ac11b5c542428b35eef5769c409f0", "<script>"]) {
    expect(parseAddress(bad)).toEqual({ ok: false, error: `address ${JSON.stringify(bad)}: must be 0x followed by 40 hex digits` });
  }
});

test("day, ilk, status", () => {
  expect(parseDay("from", "2026-01-02")).toEqual({ ok: true, value: "2026-01-02" });
  expect(parseDay("to", "2026-13-40")).toEqual({ ok: false, error: "to=2026-13-40: must be a UTC day, YYYY-MM-DD" });
  expect(parseIlk("ETH-A")).toEqual({ ok: true, value: "ETH-A" });
  expect(parseIlk("x".repeat(33)).ok).toBe(false);
  expect(parseStatus("done")).toEqual({ ok: true, value: "done" });
  expect(parseStatus("open")).toEqual({ ok: false, error: "status=open: must be one of active, done, yanked" });
});

describe("the address book", () => {
  const book = { ...MAINNET, chainId: 560048, clippers: { "ETH-A": "0x0000000000000000000000000000000000000001" } };

  test("mainnet's Chainlog addresses by default, with their source and date", () => {
    expect(loadAddresses({})).toBe(MAINNET);
    expect(loadAddresses({ CHAIN_ID: "1" }).vat).toBe("0x35D1b3F3D7966A1DFe207aa4514C12a259A0492B");
    expect(MAINNET.source).toMatch(/Chainlog/);
    expect(MAINNET.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ilkOfClipper(MAINNET, "0xc67963a226eddd77b91ad8c421630a1b0adff270")).toBe("ETH-A");
  });

  test("another chain needs MAKER_ADDRESSES: a file or inline JSON", () => {
    expect(() => loadAddresses({ CHAIN_ID: "560048" })).toThrow("CHAIN_ID=560048: no built-in Maker addresses for this chain; set MAKER_ADDRESSES");
    expect(loadAddresses({ CHAIN_ID: "560048", MAKER_ADDRESSES: JSON.stringify(book) }).clippers).toEqual(book.clippers);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "addresses-")), "book.json");
    fs.writeFileSync(file, JSON.stringify(book));
    expect(loadAddresses({ CHAIN_ID: "560048", MAKER_ADDRESSES: file }).vat).toBe(MAINNET.vat);
  });

  test("a malformed book is refused with the keys at fault", () => {
    expect(() => loadAddresses({ MAKER_ADDRESSES: JSON.stringify({ ...book, vat: "0x12", clippers: { "ETH-A": 7 } }) })).toThrow(
      "MAKER_ADDRESSES=(inline): vat=0x12, clippers.ETH-A=7 must be 0x-prefixed 20-byte addresses",
    );
    expect(() => loadAddresses({ CHAIN_ID: "1", MAKER_ADDRESSES: JSON.stringify(book) })).toThrow("chainId 560048 is not CHAIN_ID=1");
    expect(() => loadAddresses({ MAKER_ADDRESSES: "/nonexistent/book.json" })).toThrow("MAKER_ADDRESSES=/nonexistent/book.json: not a readable JSON address book");
  });
});
