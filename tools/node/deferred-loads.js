/**
 * Modules the Pulumi SDK loads on start for closure serialisation (function serialisation, code paths of
 * lambdas), which never runs under the offline plan's mocks: `typescript` and `@npmcli/arborist` with their
 * dependencies, about a quarter of a second. Each is handed to its requirer as a stand-in that loads the real
 * module on first use, so nothing changes for code that does use it.
 *
 * That is safe only while the requirer reads the module in function bodies, never at load time: the SDK version
 * below is the one tests/tools/deferred-loads.test.ts checked; under any other version nothing is deferred (and
 * that test fails until it is checked again).
 */
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");

const SDK = "@pulumi/pulumi";
const CHECKED_VERSION = "3.248.0";
/**
 * Requirer (relative to the SDK) -> the request it makes that is deferred, and whether the stand-in answers
 * `__esModule: true` itself: the requirer wraps the module in `__importStar`, which asks that first and otherwise
 * copies (so loads) every export at once.
 */
const DEFERRED = {
  // `arborist.Arborist` is read inside computeCodePaths only.
  "runtime/closure/codePaths.js": { request: "@npmcli/arborist", esModule: true },
  // `ts` is used inside the functions that parse a serialised function's text.
  "runtime/closure/parseFunction.js": { request: "../../typescript-shim", esModule: false },
};

/** Those of the SDK's files that requested a deferred module and got a stand-in (for tests). */
const deferredIn = [];

/** An object that loads `load()` on first use and forwards everything to it. */
function standIn(load, esModule) {
  let real;
  // Proxy invariants: what the stand-in says about its own properties must hold of its target, so the target takes a
  // copy of the real module's properties once that is loaded.
  const shell = {};
  const loaded = () => {
    if (real === undefined) {
      real = load();
      for (const key of Reflect.ownKeys(real)) Object.defineProperty(shell, key, Reflect.getOwnPropertyDescriptor(real, key));
    }
    return real;
  };
  return new Proxy(shell, {
    get: (_, key) => (esModule && key === "__esModule" ? true : Reflect.get(loaded(), key)),
    set: (_, key, value) => Reflect.set(loaded(), key, value),
    has: (_, key) => Reflect.has(loaded(), key),
    ownKeys: () => (loaded(), Reflect.ownKeys(shell)),
    getOwnPropertyDescriptor: (_, key) => (loaded(), Reflect.getOwnPropertyDescriptor(shell, key)),
    getPrototypeOf: () => Reflect.getPrototypeOf(loaded()),
  });
}

function sdkDir() {
  try {
    return path.dirname(require.resolve(`${SDK}/package.json`, { paths: [process.cwd(), __dirname] }));
  } catch {
    return undefined;
  }
}

function register() {
  const dir = sdkDir();
  if (!dir || JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version !== CHECKED_VERSION) return false;
  const deferred = new Map(Object.entries(DEFERRED).map(([file, entry]) => [path.join(dir, file), entry]));
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    const entry = parent && deferred.get(parent.filename);
    if (entry && entry.request === request) {
      deferredIn.push(path.relative(dir, parent.filename));
      return standIn(() => load.call(this, request, parent, isMain), entry.esModule);
    }
    return load.call(this, request, parent, isMain);
  };
  return true;
}

module.exports = { CHECKED_VERSION, DEFERRED, SDK, deferredIn, register };
