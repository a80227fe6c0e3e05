/**
 * Ethereum's log bloom (a block header's 2048-bit `logsBloom`): each log's address and topics set three bits, each
 * the low 11 bits of a pair of bytes (0-1, 2-3, 4-5) of the item's keccak256, counted from the bloom's last byte.
 * A clear bit proves the item absent from the block; all three set means it may be there (and so does a bloom that
 * is not 256 bytes: nothing is proved absent).
 */
import { hexToBytes, keccak256, type Hex } from "viem";

export function bloomBits(item: Hex): number[] {
  const hash = hexToBytes(keccak256(item));
  return [0, 2, 4].map((i) => ((hash[i]! << 8) | hash[i + 1]!) & 0x7ff);
}

export function bloomMayContain(bloom: Hex, bits: readonly number[]): boolean {
  if (!/^0x[0-9a-fA-F]{512}$/.test(bloom)) return true;
  return bits.every((bit) => {
    const at = 2 + 2 * (255 - (bit >> 3));
    return (parseInt(bloom.slice(at, at + 2), 16) & (1 << (bit & 7))) !== 0;
  });
}
