/** Which CPU architecture an EC2 instance type runs, and the EKS AL2023 AMI type that matches it. */
export type Architecture = "x86_64" | "arm64";

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
/** Graviton families carry a `g` right after the generation digit (m7g, c7gn, x2gd, im4gn, is4gen, t4g); a1 is the first Graviton. */
const GRAVITON_FAMILY = /^(a1|[a-z]+\d+g[a-z0-9-]*)$/;

export function architectureOf(instanceType: string): Architecture {
  if (!INSTANCE_TYPE.test(instanceType)) throw new RangeError(`"${instanceType}" is not an EC2 instance type (e.g. m7i.large)`);
  return GRAVITON_FAMILY.test(instanceType.split(".")[0]) ? "arm64" : "x86_64";
}

/** The one architecture every instance type shares; throws on an empty or mixed list. */
export function sharedArchitecture(instanceTypes: readonly string[]): Architecture {
  const architectures = [...new Set(instanceTypes.map(architectureOf))];
  if (architectures.length !== 1) {
    throw new RangeError(
      instanceTypes.length === 0
        ? "no instance types"
        : `instance types mix architectures (${instanceTypes.map((t) => `${t}: ${architectureOf(t)}`).join(", ")})`,
    );
  }
  return architectures[0];
}

export function al2023AmiType(architecture: Architecture): "AL2023_x86_64_STANDARD" | "AL2023_ARM_64_STANDARD" {
  return architecture === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}
