/** The cost-tag checks the offline plan runs on every resource. */
import { readTags, tagProblems } from "../../components/tagging";
import { EstateConfig } from "../../stacks/config";

export interface Violation {
  policy: string;
  enforcement: "mandatory" | "advisory";
  urn: string;
  type: string;
  name: string;
  message: string;
}

interface Resource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export function findViolations(resources: readonly Resource[], config: EstateConfig): Violation[] {
  const lines = config.budgetLines.map((l) => l.id);
  return resources.flatMap((r) =>
    readTags(r.type, r.inputs).flatMap((found): Violation[] => {
      const base = { enforcement: "mandatory" as const, urn: r.urn, type: r.type, name: r.name };
      const problems = tagProblems(found.tags).map((p) => ({
        ...base,
        policy: "required-cost-tags",
        message: `${r.type} "${r.name}" ${found.field}: ${p}; pass the workload's cost tags from components/tagging`,
      }));
      const line = found.tags?.["budget-line"];
      if (typeof line === "string" && !lines.includes(line)) {
        problems.push({
          ...base,
          policy: "budget-line-allowed",
          message: `${r.type} "${r.name}" ${found.field}: budget-line "${line}" is not configured for this stack (${lines.join(", ")})`,
        });
      }
      return problems;
    }),
  );
}
