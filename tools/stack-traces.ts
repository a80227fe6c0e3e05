/**
 * The CLIs run with `node --stack-trace-limit=0`: the Pulumi SDK captures a stack for every internal promise, and
 * without frames the plan renders about three times faster. PLAN_DEBUG=1 brings the frames back for the errors
 * created after this module loads, so it is the first thing a CLI imports.
 */
export const DEBUG = Boolean(process.env.PLAN_DEBUG);

if (DEBUG) Error.stackTraceLimit = 50;
