import { imageProblem, parseImage } from "../../../components/api-service/image";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

describe("imageProblem", () => {
  it.each([
    "nginx:1.27.3",
    "ghcr.io/makerdao/vault-api:v1.4.2",
    "public.ecr.aws/aws-cli/aws-cli:2.22.35",
    "localhost:5000/team/api:2026-11-22",
    `gcr.io/cloud-sql-connectors/cloud-sql-proxy@${DIGEST}`,
    `busybox:1.37.0@${DIGEST}`,
    // A digest pins the image even when the tag moves.
    `nginx:latest@${DIGEST}`,
  ])("accepts the pinned reference %s", (image) => {
    expect(imageProblem(image)).toBeUndefined();
  });

  it.each([
    ["nginx", /has no tag or digest/],
    ["localhost:5000/team/api", /has no tag or digest/],
    ["ghcr.io/makerdao/vault-api:latest", /uses the tag "latest"/],
    ["nginx@sha256:abc", /digest that is not sha256/],
    [`nginx@md5:${"0".repeat(32)}`, /digest that is not sha256/],
    ["Nginx:1.27", /is not an image reference/],
    ["nginx:1.27 ", /is not an image reference/],
    ["", /no image given/],
  ])("rejects %s", (image, message) => {
    expect(imageProblem(image)).toMatch(message);
  });
});

describe("parseImage", () => {
  it.each([
    ["nginx:1.27.3", { name: "nginx", repository: "nginx", tag: "1.27.3" }],
    ["ghcr.io/o/app:v1", { name: "ghcr.io/o/app", repository: "app", tag: "v1" }],
    [`localhost:5000/team/api@${DIGEST}`, { name: "localhost:5000/team/api", repository: "api", digest: DIGEST }],
    [`busybox:1.37.0@${DIGEST}`, { name: "busybox", repository: "busybox", tag: "1.37.0", digest: DIGEST }],
    ["localhost:5000/api", { name: "localhost:5000/api", repository: "api" }],
  ])("splits %s into name, repository, tag and digest", (image, parts) => {
    expect(parseImage(image)).toEqual(parts);
  });

  it("answers undefined for what is no image reference", () => {
    for (const bad of ["Nginx:1.27", "nginx:1.27 ", "", "a b"]) expect(parseImage(bad)).toBeUndefined();
  });
});
