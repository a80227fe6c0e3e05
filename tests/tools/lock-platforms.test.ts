import * as fs from "fs";
import * as path from "path";
import { Lockfile, missingOptionalEntries, platformOf, withPlatformEntries } from "../../tools/lock-platforms";

describe("per-platform optional binaries in the lock file", () => {
  it.each([
    ["@swc/core-darwin-arm64", { os: ["darwin"], cpu: ["arm64"] }],
    ["@swc/core-linux-x64-musl", { os: ["linux"], cpu: ["x64"], libc: ["musl"] }],
    ["@swc/core-linux-arm-gnueabihf", { os: ["linux"], cpu: ["arm"], libc: ["glibc"] }],
    ["@swc/core-win32-ia32-msvc", { os: ["win32"], cpu: ["ia32"] }],
    ["@unrs/resolver-binding-android-arm-eabi", { os: ["android"], cpu: ["arm"] }],
    ["@unrs/resolver-binding-wasm32-wasi", { cpu: ["wasm32"] }],
  ])("reads the platform of %s from its name", (name, platform) => {
    expect(platformOf(name)).toEqual(platform);
  });

  it("restores only what is missing, and refuses an optional dependency it cannot place", () => {
    const lock: Lockfile = {
      packages: {
        "": {},
        "node_modules/@swc/core": { version: "1.0.0", optionalDependencies: { "@swc/core-darwin-x64": "1.0.0", "@swc/core-linux-x64-gnu": "1.0.0" } },
        "node_modules/@swc/core-linux-x64-gnu": { version: "1.0.0", optional: true },
      },
    };
    expect(missingOptionalEntries(lock)).toEqual([{ name: "@swc/core-darwin-x64", version: "1.0.0" }]);
    const fixed = withPlatformEntries(lock);
    expect(fixed.packages["node_modules/@swc/core-darwin-x64"]).toEqual({ version: "1.0.0", os: ["darwin"], cpu: ["x64"], optional: true });
    expect(Object.keys(fixed.packages)).toEqual(["", "node_modules/@swc/core", "node_modules/@swc/core-darwin-x64", "node_modules/@swc/core-linux-x64-gnu"]);
    expect(missingOptionalEntries(fixed)).toEqual([]);
    expect(() => withPlatformEntries({ packages: { a: { optionalDependencies: { fsevents: "2.0.0" } } } })).toThrow(/fsevents: an optional dependency with no platform/);
  });

  it("the project's lock names every optional dependency, so npm ci accepts it (else: npm run lock:platforms)", () => {
    const lock = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package-lock.json"), "utf8"));
    expect(missingOptionalEntries(lock)).toEqual([]);
  });
});
