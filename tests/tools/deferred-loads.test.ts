/**
 * tools/node/deferred-loads.js hands the Pulumi SDK stand-ins for `typescript` and `@npmcli/arborist`. That is only
 * safe while the SDK reads them inside functions: these tests read the SDK's own files and fail when it changes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const deferred = require("../../tools/node/deferred-loads.js") as { CHECKED_VERSION: string; SDK: string; DEFERRED: Record<string, { request: string; esModule: boolean }> };

const ROOT = path.resolve(__dirname, "../..");
const SDK_DIR = path.dirname(require.resolve(`${deferred.SDK}/package.json`));

function isRequireOf(node: ts.Node, request: string): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require" && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) && node.arguments[0].text === request;
}

function insideFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return true;
  return false;
}

/** Where `file` requires `request`: the binding and the initialiser; every other use of the binding. */
function usesOf(file: string, request: string) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const requires: ts.Node[] = [];
  const identifiers: ts.Identifier[] = [];
  const visit = (node: ts.Node) => {
    if (isRequireOf(node, request)) requires.push(node);
    if (ts.isIdentifier(node)) identifiers.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const declaration = requires.length === 1 ? requires[0].parent : undefined;
  const variable = declaration && (ts.isVariableDeclaration(declaration) ? declaration : ts.isCallExpression(declaration) && ts.isVariableDeclaration(declaration.parent) ? declaration.parent : undefined);
  const name = variable && ts.isIdentifier(variable.name) ? variable.name.text : undefined;
  return {
    requires: requires.length,
    name,
    wrapper: declaration && ts.isCallExpression(declaration) && ts.isIdentifier(declaration.expression) ? declaration.expression.text : undefined,
    atLoad: identifiers.filter((id) => id.text === name && id !== variable?.name && !insideFunction(id)).map((id) => id.getText()),
    text: source.text,
  };
}

describe("deferred SDK loads", () => {
  it(`apply to the SDK version they were checked against (${deferred.CHECKED_VERSION}); re-check these tests on an upgrade`, () => {
    expect(JSON.parse(fs.readFileSync(path.join(SDK_DIR, "package.json"), "utf8")).version).toBe(deferred.CHECKED_VERSION);
  });

  it.each(Object.entries(deferred.DEFERRED))("%s requires its deferred module once, at the top, and reads it only inside functions", (file, { request, esModule }) => {
    const uses = usesOf(path.join(SDK_DIR, file), request);
    expect(uses.requires).toBe(1);
    expect(uses.name).toBeDefined();
    expect(uses.atLoad).toEqual([]);
    if (esModule) {
      // The stand-in answers `__esModule`, so `__importStar` returns it as it is rather than copying its exports.
      expect(uses.wrapper).toBe("__importStar");
      expect(uses.text).toMatch(/__importStar = [^\n]*function \(mod\) \{\s*if \(mod && mod\.__esModule\) return mod;/);
    } else {
      expect(uses.wrapper).toBeUndefined();
    }
  });

  it("keep typescript and arborist out of a process that loads the SDK, and load them once closure serialisation runs, with the same result", () => {
    const script = [
      "const pulumi = require('@pulumi/pulumi');",
      "const loaded = () => Object.keys(require.cache).filter((f) => /node_modules\\/(typescript|@npmcli\\/arborist)\\//.test(f)).map((f) => f.split('node_modules/')[1].split('/')[0]);",
      "const before = [...new Set(loaded())];",
      "pulumi.runtime.serializeFunction((a) => a + 1).then((s) => {",
      "  console.log(JSON.stringify({ before, after: [...new Set(loaded())], text: s.text, computeCodePaths: typeof pulumi.runtime.computeCodePaths }));",
      "});",
    ].join("\n");
    const run = (preload: string[]) => {
      const r = spawnSync(process.execPath, [...preload, "-e", script], { cwd: ROOT, encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout) as { before: string[]; after: string[]; text: string; computeCodePaths: string };
    };
    const withDeferral = run(["-r", path.join(ROOT, "tools", "node", "register.js")]);
    const plain = run([]);
    expect(plain.before.sort()).toEqual(["@npmcli", "typescript"]);
    expect(withDeferral.before).toEqual([]);
    expect(withDeferral.after).toEqual(["typescript"]);
    expect(withDeferral.text).toBe(plain.text);
    expect(withDeferral.computeCodePaths).toBe("function");
  });
});
