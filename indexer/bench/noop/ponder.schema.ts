export * from "../../ponder.schema";
