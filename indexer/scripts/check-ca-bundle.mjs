// Run by indexer/Dockerfile on the downloaded RDS CA bundle: the build fails unless the file is a PEM bundle of
// Amazon RDS certificate authorities and nothing else (not an error page, not a truncated download).
// Usage: node check-ca-bundle.mjs <file>
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import process from "node:process";

const BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+?-----END CERTIFICATE-----/g;

function checkBundle(text) {
  const blocks = text.match(BLOCK) ?? [];
  if (blocks.length === 0) return ["no PEM certificate in it"];
  if (text.replace(BLOCK, "").trim() !== "") return ["something other than PEM certificates in it"];
  const problems = [];
  blocks.forEach((pem, i) => {
    let cert;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      problems.push(`certificate ${i + 1} does not parse: ${e.message}`);
      return;
    }
    if (!cert.ca) problems.push(`certificate ${i + 1} (${cert.subject.replace(/\n/g, ", ")}) is not a CA`);
    if (!/^OU=Amazon RDS$/m.test(cert.subject)) problems.push(`certificate ${i + 1} (${cert.subject.replace(/\n/g, ", ")}) is not an Amazon RDS CA`);
  });
  return problems;
}

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node check-ca-bundle.mjs <file>\n");
  process.exit(2);
}
const text = readFileSync(file, "utf8");
const problems = checkBundle(text);
if (problems.length > 0) {
  process.stderr.write(`${file} is not the RDS CA bundle: ${problems.join("; ")}\n`);
  process.exit(1);
}
process.stdout.write(`${file}: ${text.match(BLOCK).length} Amazon RDS CA certificates\n`);
