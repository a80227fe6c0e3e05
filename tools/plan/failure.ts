/** How the plan CLI ends on an error: an exit code and a message, never a stack trace unless asked for. */
import { PackConfigError } from "../../policies/lib/pack-config";
import { USAGE, UsageError } from "./args";
import { ConfigError } from "./plan";
import { StackFileError } from "./stack-file";

export function describeFailure(err: unknown, debug: boolean): { code: number; message: string } {
  if (err instanceof UsageError) return { code: 2, message: `error: ${err.message}\n\n${USAGE}\n` };
  if (err instanceof ConfigError || err instanceof StackFileError || err instanceof PackConfigError) return { code: 2, message: `${err.message}\n` };
  const message = err instanceof Error ? err.message : String(err);
  // A stack begins with "<name>: <message>": printed alone, so the message appears once.
  if (debug && err instanceof Error && err.stack) return { code: 1, message: `error: ${err.stack.includes(message) ? err.stack : `${message}\n${err.stack}`}\n` };
  return { code: 1, message: `error: ${message}\n${debug ? "(no stack trace was recorded)" : "(set PLAN_DEBUG=1 for the stack trace)"}\n` };
}
