/**
 * Where each zone's subnets sit inside an AWS network's block: private subnets take the first /(p+3)
 * blocks (one per zone); public subnets, which hold only load balancers and NAT gateways, are /(p+6)
 * blocks packed into the last /(p+3) block.
 */
import { formatCidr, parseCidr, subnet } from "./cidr";

export interface ZoneSubnets {
  readonly private: string;
  readonly public: string;
}

export const MAX_ZONES = 6;

export function awsSubnetLayout(cidr: string, zones: number): ZoneSubnets[] {
  const network = parseCidr(cidr);
  if (!network) throw new RangeError(`not an IPv4 CIDR block: ${cidr}`);
  if (!Number.isInteger(zones) || zones < 1 || zones > MAX_ZONES) {
    throw new RangeError(`zones must be an integer from 1 to ${MAX_ZONES}, got ${zones}`);
  }
  const privatePrefix = network.prefix + 3;
  const publicBlock = subnet(network, privatePrefix, 2 ** 3 - 1);
  return Array.from({ length: zones }, (_, i) => ({
    private: formatCidr(subnet(network, privatePrefix, i)),
    public: formatCidr(subnet(publicBlock, network.prefix + 6, i)),
  }));
}
