/** The shell scripts a node VM runs at every boot: mount the chain-data disk, generate the engine JWT in memory. */
import { AWS_DATA_DEVICE, GCP_DATA_DEVICE_NAME, HostLayout, NODE_UID, VmPlatform } from "./vm-layout";

/** 32 random bytes as 64 hex characters, with coreutils only: present on Amazon Linux and Container-Optimized OS alike. */
export const JWT_GENERATE_COMMAND = "od -An -N32 -tx1 /dev/urandom | tr -d ' \\n'";

/** How long a node waits for its data disk: on AWS it is attached after the instance boots, once the old node let go. */
const DEVICE_WAIT_SECONDS = 1800;

export interface DataDirectory {
  readonly subdir: string;
  /** Owned by NODE_UID when the client runs as non-root, else by root. */
  readonly nonRoot: boolean;
}

const FIND_DEVICE: Readonly<Record<VmPlatform, string>> = {
  aws: `find_device() {
  # Nitro instances show EBS volumes as NVMe namespaces; the name given at attach time lives in the controller's
  # vendor data. amazon-ec2-utils' udev rule links it as ${AWS_DATA_DEVICE}, and ebsnvme-id reads it directly.
  if [ -b ${AWS_DATA_DEVICE} ]; then readlink -f ${AWS_DATA_DEVICE}; return 0; fi
  local dev
  for dev in /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol*; do
    case "$dev" in *-part*|*_[0-9]*) continue ;; esac
    [ -b "$dev" ] || continue
    if [ "$(ebsnvme-id -b "$dev" 2>/dev/null | sed 's|^/dev/||')" = "${AWS_DATA_DEVICE.replace(/^\/dev\//, "")}" ]; then
      readlink -f "$dev"
      return 0
    fi
  done
  return 1
}`,
  gcp: `find_device() {
  [ -b /dev/disk/by-id/google-${GCP_DATA_DEVICE_NAME} ] && readlink -f /dev/disk/by-id/google-${GCP_DATA_DEVICE_NAME}
}`,
};

/** Waits for the data disk, formats it only when it holds no filesystem at all, mounts it and creates the clients' directories. */
export function prepareDataScript(platform: VmPlatform, layout: HostLayout, directories: readonly DataDirectory[]): string {
  const mount = layout.dataMount;
  const makeDirs = directories.map((d) => {
    const owner = d.nonRoot ? NODE_UID : 0;
    return `install -d -m 0750 -o ${owner} -g ${owner} "$MOUNT/${d.subdir}"`;
  });
  return `#!/bin/bash
set -euo pipefail
MOUNT=${mount}

${FIND_DEVICE[platform]}

device=""
for _ in $(seq 1 ${DEVICE_WAIT_SECONDS / 5}); do
  device=$(find_device) && break
  sleep 5
done
if [ -z "$device" ]; then
  echo "the chain-data disk did not appear within ${DEVICE_WAIT_SECONDS}s" >&2
  exit 1
fi

# blkid exits 2 when the device holds no signature at all; any other failure is never a reason to format.
status=0
blkid -p "$device" >/dev/null 2>&1 || status=$?
case "$status" in
  0) ;;
  2) mkfs.ext4 -q -F -m 0 -L chain-data "$device" ;;
  *) echo "blkid failed on $device (exit $status); refusing to format it" >&2; exit 1 ;;
esac

mkdir -p "$MOUNT"
mountpoint -q "$MOUNT" || mount -o noatime "$device" "$MOUNT"
# Grows the filesystem after the disk was enlarged; a no-op otherwise.
resize2fs "$device" || echo "resize2fs failed; continuing at the current size" >&2
${makeDirs.join("\n")}
`;
}

/** The engine API secret the two clients share: regenerated at every boot on tmpfs, readable by NODE_UID only. */
export function generateJwtScript(layout: HostLayout, fileName: string): string {
  const dir = layout.jwtDir;
  return `#!/bin/bash
set -euo pipefail
umask 077
install -d -m 0700 -o ${NODE_UID} -g ${NODE_UID} ${dir}
if [ "$(findmnt -n -o FSTYPE --target ${dir})" != "tmpfs" ]; then
  echo "${dir} is not on tmpfs; refusing to write the engine JWT there" >&2
  exit 1
fi
if [ ! -s ${dir}/${fileName} ]; then
  ${JWT_GENERATE_COMMAND} > ${dir}/${fileName}.new
  mv ${dir}/${fileName}.new ${dir}/${fileName}
fi
chown ${NODE_UID}:${NODE_UID} ${dir}/${fileName}
chmod 0600 ${dir}/${fileName}
`;
}
