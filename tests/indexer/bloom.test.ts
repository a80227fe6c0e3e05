/** The log bloom check against ox's independent implementation. */
import * as fc from "fast-check";
import { Bloom } from "ox";
import { bytesToHex, type Hex } from "viem";
import { bloomBits, bloomMayContain } from "../../indexer/src/bloom";

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => bytesToHex(b));

test("bloomMayContain agrees with ox's Bloom.contains on sparse and dense blooms and on blooms built from items", () => {
  const sparse = fc.array(fc.nat(255), { maxLength: 40 }).map((at) => {
    const b = new Uint8Array(256);
    for (const i of at) b[i] = 0xff;
    return bytesToHex(b);
  });
  fc.assert(
    fc.property(fc.oneof(bytes(256), sparse), bytes(20), (bloom: Hex, address: Hex) => {
      expect(bloomMayContain(bloom, bloomBits(address))).toBe(Bloom.contains(bloom, address));
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.array(bytes(20), { minLength: 1, maxLength: 8 }), bytes(20), (items: Hex[], other: Hex) => {
      const b = new Uint8Array(256);
      for (const item of items) for (const bit of bloomBits(item)) b[255 - (bit >> 3)]! |= 1 << (bit & 7);
      const bloom = bytesToHex(b);
      for (const item of items) expect(Bloom.contains(bloom, item)).toBe(true);
      expect(bloomMayContain(bloom, bloomBits(other))).toBe(Bloom.contains(bloom, other));
    }),
    { numRuns: 500 },
  );
});

test("a bloom that is not 256 bytes proves nothing absent", () => {
  expect(bloomMayContain("0x", bloomBits("0x00000000000000000000000000000000000000aa"))).toBe(true);
});
