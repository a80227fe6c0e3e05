export * from "./cidr";
export * from "./aws-layout";
export * from "./aws";
export * from "./gcp";
export { LOG_RETENTION_DAYS } from "./log-retention";
