/**
 * Environment variable names whose value would be a credential. Plain env values are resource inputs: they land in
 * state and in the plan, so credentials must come from a cloud-managed secret at runtime instead.
 */
const CREDENTIAL_NAME = /(?:PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|CREDENTIALS?)$/i;

export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}
