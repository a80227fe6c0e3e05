/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  testTimeout: 60000,
  // Two cores here: the default (cores - 1) would run every file in one worker.
  maxWorkers: 2,
  globalSetup: "<rootDir>/tests/global-setup.ts",
  reporters: ["default", "<rootDir>/tests/summary-reporter.js"],
};
