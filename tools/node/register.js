/**
 * Preload of the project's commands (`node -r ./tools/node/register.js tools/plan.ts`): TypeScript from the
 * transpile cache, the SDK's closure-serialisation modules loaded only when used. PLAN_DEBUG=1 turns on source
 * maps, so a stack trace names the .ts lines.
 */
"use strict";
if (process.env.PLAN_DEBUG) process.setSourceMapsEnabled(true);
require("./ts-cache").register();
require("./deferred-loads").register();
