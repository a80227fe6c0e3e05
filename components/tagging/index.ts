export * from "./budget-lines";
export * from "./tags";
export * from "./render";
export * from "./taggable";
