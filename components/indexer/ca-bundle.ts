/**
 * The CA bundle that `sslmode=verify-full` checks RDS's certificate against lives in the indexer image
 * (indexer/Dockerfile puts Amazon's global RDS bundle at RDS_CA_BUNDLE). The workers and the read API run that image;
 * the psql containers (the role migration, the workers' wait for it) run another, so an init container of the
 * deployment's indexer image copies the file into an in-memory volume that they mount at the same path. The libpq
 * environment is then the same in every container of a pod, and no certificate is kept in config or the repository.
 */
import type { Container, Volume, VolumeMount } from "./credentials";
import { sidecarSecurityContext } from "./credentials";

/** Where indexer/Dockerfile installs https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem. */
export const RDS_CA_BUNDLE = "/etc/ssl/rds/global-bundle.pem";
export const CA_COPY_CONTAINER = "ca-bundle";
const CA_VOLUME = "ca-bundle";
const COPY_DIR = "/run/ca-bundle";

/** The copy: a clear error when the image predates the bundle, else the file, readable by every container. */
export const CA_COPY_SCRIPT = [
  "set -eu",
  'if [ ! -s "$CA_BUNDLE" ]; then',
  '  echo "ca-bundle: this indexer image has no CA bundle at $CA_BUNDLE; run an image built from the current indexer/Dockerfile" >&2',
  "  exit 1",
  "fi",
  'cp "$CA_BUNDLE" "$COPY_DIR/"',
  'chmod 0444 "$COPY_DIR/${CA_BUNDLE##*/}"',
].join("\n");

const dirOf = (file: string) => file.slice(0, file.lastIndexOf("/"));

export interface CaBundleCopy {
  /** A regular init container: place it before the containers that connect. */
  readonly initContainer: Container;
  readonly volume: Volume;
  /** For each container of another image that connects: the copy, at the path the image has it. */
  readonly mount: VolumeMount;
}

/** The copy of `file` (a path in `image`) for the containers of a pod that do not run `image`. */
export function caBundleCopy(file: string, image: string): CaBundleCopy {
  return {
    initContainer: {
      name: CA_COPY_CONTAINER,
      image,
      imagePullPolicy: "IfNotPresent",
      command: ["sh", "-c", CA_COPY_SCRIPT],
      env: [
        { name: "CA_BUNDLE", value: file },
        { name: "COPY_DIR", value: COPY_DIR },
      ],
      resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "16Mi" } },
      securityContext: sidecarSecurityContext(),
      volumeMounts: [{ name: CA_VOLUME, mountPath: COPY_DIR }],
    },
    volume: { name: CA_VOLUME, emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    mount: { name: CA_VOLUME, mountPath: dirOf(file), readOnly: true },
  };
}
