import * as pulumi from "@pulumi/pulumi";
import { recordResources, SECRET_PLACEHOLDER } from "../../tools/plan/record";

class Fake extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions) {
    super(type, name, props, opts);
  }
}

class Box extends pulumi.ComponentResource {
  constructor(name: string, secret: pulumi.Input<string>, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    new Fake("aws:ec2/vpc:Vpc", `${name}-vpc`, { cidrBlock: "10.0.0.0/16", password: secret }, { parent: this, protect: true });
    new Fake("aws:s3/bucket:Bucket", `${name}-bucket`, {}, { parent: this, retainOnDelete: true });
    this.registerOutputs({});
  }
}

describe("recordResources", () => {
  it("records every resource with its parent, options and redacted secrets", async () => {
    const { resources } = await recordResources(() => {
      new Box("one", pulumi.secret("hunter2"));
    });
    const byName = new Map(resources.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(["core-unit-estate-test", "one", "one-bucket", "one-vpc"]);
    const vpc = byName.get("one-vpc")!;
    expect(vpc.parent).toBe(byName.get("one")!.urn);
    expect(vpc.protect).toBe(true);
    expect(vpc.retainOnDelete).toBe(false);
    expect(vpc.inputs).toEqual({ cidrBlock: "10.0.0.0/16", password: SECRET_PLACEHOLDER });
    expect(byName.get("one-bucket")!.retainOnDelete).toBe(true);
    expect(byName.get("one")!.custom).toBe(false);
    expect(JSON.stringify(resources)).not.toContain("hunter2");
  });

  it("starts each run afresh", async () => {
    const first = await recordResources(() => new Box("a", "x"));
    const second = await recordResources(() => new Box("b", "y"));
    expect(first.resources.map((r) => r.name)).toContain("a-vpc");
    expect(second.resources.map((r) => r.name)).not.toContain("a-vpc");
  });
});
