/**
 * EC2 user data as a launch template carries it: the #cloud-config gzip-compressed, then base64. EC2 caps user data
 * at 16 KiB before base64; cloud-init recognises gzip by its magic bytes and decompresses it. Node's gzip writes no
 * timestamp, so the same config encodes to the same bytes and a launch template changes only when the config does.
 */
import { gunzipSync, gzipSync } from "node:zlib";

export const USER_DATA_LIMIT_BYTES = 16384;

export function encodeUserData(cloudConfig: string): string {
  return gzipSync(Buffer.from(cloudConfig, "utf8"), { level: 9 }).toString("base64");
}

/** The size EC2 counts: the bytes before base64. */
export function userDataBytes(encoded: string): number {
  return Buffer.from(encoded, "base64").length;
}

/** The text of base64 user data, gzip-compressed or not. */
export function decodeUserData(encoded: string): string {
  const bytes = Buffer.from(encoded, "base64");
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}
