/** The catalog and sizing, without the component: what config validation needs to know about clients. */
export * from "./clients";
export * from "./sizing";
