import { PackConfigError } from "../../policies/lib/pack-config";
import { UsageError } from "../../tools/plan/args";
import { describeFailure } from "../../tools/plan/failure";
import { ConfigError } from "../../tools/plan/plan";
import { StackFileError } from "../../tools/plan/stack-file";

describe("how the plan ends on an error", () => {
  it("answers bad arguments with the usage and exit code 2", () => {
    const { code, message } = describeFailure(new UsageError("unknown option --x"), false);
    expect(code).toBe(2);
    expect(message).toMatch(/^error: unknown option --x\n\nUsage: npm run plan/);
  });

  it("answers bad config (of the stack or its policy pack) and missing stacks with their message alone, exit code 2", () => {
    expect(describeFailure(new ConfigError("Stack configuration has 1 problem:\n  - k: v"), false)).toEqual({ code: 2, message: "Stack configuration has 1 problem:\n  - k: v\n" });
    expect(describeFailure(new StackFileError("no stack file Pulumi.qa.yaml"), true)).toEqual({ code: 2, message: "no stack file Pulumi.qa.yaml\n" });
    expect(describeFailure(new PackConfigError("policies/config.qa.json has 1 problem:\n  - x"), false)).toEqual({ code: 2, message: "policies/config.qa.json has 1 problem:\n  - x\n" });
  });

  it("reports anything else in one line with exit code 1, and the stack trace only when asked", () => {
    const err = new Error("boom");
    expect(describeFailure(err, false)).toEqual({ code: 1, message: "error: boom\n(set PLAN_DEBUG=1 for the stack trace)\n" });
    expect(describeFailure(err, true)).toEqual({ code: 1, message: `error: ${err.stack}\n` });
    expect(describeFailure(err, true).message.match(/boom/g)).toHaveLength(1);
    expect(describeFailure("plain", false).message).toMatch(/^error: plain\n/);
  });
});
