/**
 * Throw-away X.509 certificates for the TLS tests, made with the openssl command line in a temporary directory:
 * certificate authorities (self-signed or issued by another) and server certificates for a DNS name.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Issued {
  readonly cert: string;
  readonly key: string;
}

export const certDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "certs-"));

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function ext(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, `${name}.ext`);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/**
 * A certificate for `subject` (openssl's /K=V/... form): a CA when `ca`, else a server certificate for `dnsName`;
 * self-signed, or issued by `issuer`.
 */
export function issue(dir: string, name: string, opts: { subject: string; ca: boolean; dnsName?: string; issuer?: Issued }): Issued {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.pem`);
  const csr = path.join(dir, `${name}.csr`);
  openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-subj", opts.subject, "-out", csr], dir);
  const extensions = opts.ca
    ? ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign", "subjectKeyIdentifier=hash"]
    : ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth", `subjectAltName=DNS:${opts.dnsName ?? "localhost"}`];
  const signer = opts.issuer ? ["-CA", opts.issuer.cert, "-CAkey", opts.issuer.key, "-CAcreateserial"] : ["-signkey", key];
  openssl(["x509", "-req", "-in", csr, ...signer, "-days", "3650", "-sha256", "-extfile", ext(dir, name, extensions), "-out", cert], dir);
  return { cert, key };
}
